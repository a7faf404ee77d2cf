// SentencePiece models (InternLM2 for InternVL2-2B/8B/26B, Llama-style Phi-3 for 4B) through
// libsentencepiece (SentencePieceModel), the way transformers' slow tokenizers use them: added
// tokens are split off first, then each stretch of text between them is encoded by SentencePiece on
// its own; BOS/EOS per the configuration. The model's control symbols (<s>, </s>, <unk>) count as
// added special tokens, so "<s>" in the text is the BOS id.
//
// Usage:
//   SentencePieceOptions options;
//   options.addedTokens = config.addedTokens;     // from tokenizer_config.json
//   SentencePieceTokenizer tok("tokenizer.model", options);
//   auto ids = tok.encode("<|im_start|>user\nhi", AddSpecial::Yes);   // BOS first
#pragma once

#include "text/added_tokens.h"
#include "text/sentencepiece_model.h"
#include "text/tokenizer.h"

#include <filesystem>
#include <memory>

namespace rd::text {

struct SentencePieceOptions {
    std::vector<AddedToken> addedTokens;
    bool addBos = true; // InternLM2 and Phi-3 prepend <s>
    bool addEos = false;
    // transformers' `legacy` flag: when false (Phi-3), only the start of the text gets
    // SentencePiece's dummy prefix "▁", not the text after an added token.
    bool legacy = true;
    // Names from tokenizer_config.json that override the model's own BOS/EOS/PAD when set.
    std::optional<std::string> bosToken;
    std::optional<std::string> eosToken;
    std::optional<std::string> padToken;
};

class SentencePieceTokenizer : public Tokenizer {
public:
    // Throws rd::Error(NotFound) or Format naming the file when it is not a SentencePiece model.
    SentencePieceTokenizer(const std::filesystem::path& modelPath, SentencePieceOptions options);
    ~SentencePieceTokenizer() override;

    std::vector<int32_t> encode(std::string_view text, AddSpecial addSpecial) const override;
    std::string decode(const std::vector<int32_t>& ids, SkipSpecial skipSpecial) const override;
    std::optional<int32_t> tokenToId(std::string_view token) const override;
    std::string idToToken(int32_t id) const override;
    int32_t vocabSize() const override;
    const SpecialTokenIds& specialIds() const override { return m_special; }
    std::string kindName() const override { return "sentencepiece"; }

private:
    void encodeChunk(std::string_view chunk, bool atTextStart, std::vector<int32_t>& out) const;
    void decodeRun(std::vector<int>& run, bool atTextStart, std::string& out) const;

    std::string m_origin;
    SentencePieceOptions m_options;
    std::unique_ptr<SentencePieceModel> m_processor;
    // legacy == false: the same model without the dummy prefix, for text after an added token.
    std::unique_ptr<SentencePieceModel> m_continuation;
    size_t m_unkPieceCount = 0; // pieces the literal unk token encodes to (continuation model)
    AddedTokens m_added;
    SpecialTokenIds m_special;
};

} // namespace rd::text
