#include "reward/workspace_tokenizer.h"

#include "common/error.h"
#include "reward/grounding_dataset.h"
#include "reward/grounding_stream.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"
#include "synth/vocabulary.h"
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
    // The grounding stage's attribute questions, in every word they use.
    for (synth::Shape shape : synth::kShapes) {
        for (synth::Color color : synth::kColors)
            add(std::string("Is there a ") + synth::name(color) + " " + synth::name(shape) +
                " in the image? Answer yes or no.");
        for (int n = 1; n <= 6; ++n)
            add(std::string("Are there exactly ") + synth::numberWord(n) + " " +
                (n == 1 ? synth::name(shape) : synth::plural(shape)) + " in the image?");
    }
    for (synth::Relation r : {synth::Relation::LeftOf, synth::Relation::RightOf,
                              synth::Relation::Above, synth::Relation::Below})
        add(std::string("Is the red circle ") + synth::name(r) + " the blue square?");
    // The stream grounding's questions and answers ("Where is the red circle?" "top left"); not
    // counted as the workspace's documents.
    for (const std::string& text : streamTexts(1, 60))
        trainer.addText(text + "\n");
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
