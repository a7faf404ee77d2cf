#include "bench_tokenizer.h"

#include "text/bpe_trainer.h"
#include "text/tokenizer_json_writer.h"

namespace rd::bench {

void writeBenchTokenizer(const std::filesystem::path& file) {
    text::BpeTrainerOptions options;
    options.vocabSize = 600;
    options.minFrequency = 1;
    text::BpeTrainer trainer(options);
    trainer.addText("yes. Image 2 shows three red circles; no. image 1 shows two blue squares. "
                    "Is image 2 better than image 1? Please answer yes or no.\n");
    text::writeTokenizerJson(file, trainer.train());
}

} // namespace rd::bench
