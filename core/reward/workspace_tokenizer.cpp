#include "reward/workspace_tokenizer.h"

#include "common/error.h"
#include "reward/grounding_dataset.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"
#include "text/bpe_trainer.h"
#include "text/reward_prompt.h"
#include "text/tokenizer_json_writer.h"

namespace rd::reward {

std::size_t trainWorkspaceTokenizer(store::Workspace& ws, const std::string& split, int vocabSize,
                                    const std::filesystem::path& file) {
    text::BpeTrainerOptions options;
    options.vocabSize = vocabSize;
    text::BpeTrainer trainer(options);
    std::size_t documents = 0;
    auto add = [&](const std::string& text) {
        if (!text.empty()) {
            trainer.addText(text + "\n");
            ++documents;
        }
    };
    for (auto mode : {text::RewardMode::Pairwise, text::RewardMode::Pointwise}) {
        add(text::defaultRewardInstruction(mode, text::RewardMedia::Images));
        add(text::defaultRewardQuestion(mode, text::RewardMedia::Images));
    }
    add(kDescribeQuestion);
    for (const store::PromptRecord& prompt : ws.prompts().listBySplit(split)) {
        add(prompt.text);
        add(showsQuestion(prompt.text));
    }
    store::PairFilter filter;
    filter.split = split;
    for (const store::PairRecord& pair : ws.pairs().list(filter)) {
        add(pair.rationale);
        // The reasoning-first form moves the decision to the end: "... Answer: yes".
        add("Answer: yes. Answer: no.");
    }
    if (documents < 10)
        throw Error(ErrorKind::InvalidArgument, ws.folder().string() +
                                                    ": too little text in split '" + split +
                                                    "' to train a tokenizer (add pairs first)");
    text::writeTokenizerJson(file, trainer.train());
    return documents;
}

} // namespace rd::reward
