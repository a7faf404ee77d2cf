#include "diffusion/prompt_tokenizer.h"

#include "common/error.h"
#include "synth/vocabulary.h"
#include "text/bpe_trainer.h"
#include "text/tokenizer_json_writer.h"

namespace rd::diffusion {

void trainPromptTokenizer(const std::vector<std::string>& prompts, int vocabSize,
                          const std::filesystem::path& file) {
    if (prompts.empty())
        throw Error(ErrorKind::InvalidArgument,
                    file.string() + ": no prompts to learn a tokenizer from");
    text::BpeTrainerOptions options;
    options.vocabSize = vocabSize;
    text::BpeTrainer trainer(options);
    for (const std::string& prompt : prompts)
        trainer.addText(prompt);
    // Every word ShapeWorld writes, twice (merges need a pair seen twice).
    std::string words = "a photo of an and the is left right above below";
    for (synth::Shape shape : synth::kShapes)
        words += std::string(" ") + synth::name(shape) + " " + synth::plural(shape);
    for (synth::Color color : synth::kColors)
        words += std::string(" ") + synth::name(color);
    for (int n = 1; n <= 6; ++n)
        words += std::string(" ") + synth::numberWord(n);
    trainer.addText(words);
    trainer.addText(words);
    text::writeTokenizerJson(file, trainer.train());
}

} // namespace rd::diffusion
