// Trains a byte-level BPE on a text corpus (ShapeWorld prompts and rationales for the small
// from-scratch models): NFC, Qwen2's pre-tokenizer, GPT-2's byte alphabet (all 256 bytes, so any
// text encodes), then the most frequent adjacent pair is merged until the vocabulary reaches its
// target. The result is a BpeTokenizerSpec that writeTokenizerJson saves as a Hugging Face
// tokenizer.json, which loadTokenizer reads like any downloaded one.
//
// Deterministic: the same corpus and options give the same merges and the same file, whatever the
// order of hash maps (a tie in frequency goes to the pair with the smaller ids).
//
// Usage:
//   BpeTrainer trainer(BpeTrainerOptions{});
//   for (const std::string& line : corpus) trainer.addText(line + "\n");
//   writeTokenizerJson("tokenizer.json", trainer.train());
#pragma once

#include "text/bpe_tokenizer_spec.h"
#include "text/regex_splitter.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rd::text {

// InternVL2's chat and image markers, in its order (InternVL2 §4-5): <|endoftext|> <|im_start|>
// <|im_end|> <img> </img> <IMG_CONTEXT> <quad> </quad> <ref> </ref> <box> </box>.
std::vector<std::string> defaultSpecialTokens();

struct BpeTrainerOptions {
    // Special tokens + 256 byte tokens + merges.
    int32_t vocabSize = 4096;
    // Pairs seen fewer times than this are never merged (the vocabulary may then stay smaller).
    int64_t minFrequency = 2;
    // Ids 0, 1, ... in this order; never split, never learned from the corpus.
    std::vector<std::string> specialTokens = defaultSpecialTokens();
    // Called after each merge with (merges done, merges wanted); returning false cancels the
    // training (rd::Error(Cancelled)).
    std::function<bool(int64_t, int64_t)> progress;
};

class BpeTrainer {
public:
    // Throws rd::Error(InvalidArgument) when vocabSize leaves no room for the specials and bytes,
    // or a special token is empty or repeated.
    explicit BpeTrainer(BpeTrainerOptions options);
    ~BpeTrainer();

    // Counts the document's words. Throws rd::Error(InvalidArgument) for invalid UTF-8.
    void addText(std::string_view document);

    size_t distinctWords() const { return m_wordCounts.size(); }

    BpeTokenizerSpec train() const;

private:
    BpeTrainerOptions m_options;
    std::unique_ptr<RegexSplitter> m_splitter;
    std::map<std::string, int64_t> m_wordCounts; // byte-level spelling -> occurrences
};

} // namespace rd::text
