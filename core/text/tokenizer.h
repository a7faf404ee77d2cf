// rd::text::Tokenizer: the one interface the engine uses to turn text into token ids and back,
// whatever file the vocabulary came from (byte-level BPE or SentencePiece).
//
// Usage:
//   auto tok = rd::text::loadTokenizer("checkpoints/internvl2-1b");   // see load_tokenizer.h
//   std::vector<int32_t> ids = tok->encode("<|im_start|>user\nhi", AddSpecial::Yes);
//   std::string back = tok->decode(ids, SkipSpecial::No);
//
// Added tokens (chat and image markers such as <|im_start|> or <IMG_CONTEXT>) are recognised in
// the text before anything else, as Hugging Face tokenizers do. Implementations are immutable
// after construction and safe to use from several threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rd::text {

// Whether encode() adds the tokens the tokenizer's configuration asks for around the text (BOS
// for SentencePiece models such as InternLM2; nothing for Qwen2).
enum class AddSpecial { No = 1, Yes };

// Whether decode() drops special tokens (control symbols and added tokens marked special).
enum class SkipSpecial { No = 1, Yes };

struct SpecialTokenIds {
    std::optional<int32_t> bos;
    std::optional<int32_t> eos;
    std::optional<int32_t> pad;
    std::optional<int32_t> unk;
};

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // Throws rd::Error(InvalidArgument) when text is not valid UTF-8.
    virtual std::vector<int32_t> encode(std::string_view text, AddSpecial addSpecial) const = 0;

    // Invalid UTF-8 produced by partial byte sequences becomes U+FFFD, as Hugging Face does.
    // Throws rd::Error(InvalidArgument) for an id outside [0, vocabSize()).
    virtual std::string decode(const std::vector<int32_t>& ids, SkipSpecial skipSpecial) const = 0;

    // The vocabulary's own spelling of a token (byte-level BPE: "Ġhello" for " hello").
    virtual std::optional<int32_t> tokenToId(std::string_view token) const = 0;
    // Throws rd::Error(InvalidArgument) for an id outside the vocabulary.
    virtual std::string idToToken(int32_t id) const = 0;

    // Highest id + 1, added tokens included: the number of embedding rows a model needs.
    virtual int32_t vocabSize() const = 0;

    virtual const SpecialTokenIds& specialIds() const = 0;

    // "byte-level-bpe" or "sentencepiece", for logs and `rdance text info`-style reports.
    virtual std::string kindName() const = 0;
};

} // namespace rd::text
