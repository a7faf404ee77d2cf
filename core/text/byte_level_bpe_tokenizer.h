// Byte-level BPE (GPT-2 family: Qwen2 for InternVL2-1B, and the tokenizers our trainer writes):
// added tokens first, then normalisation (NFC), the pre-tokenizer regex, GPT-2's byte-to-unicode
// map and rank-ordered merges on each piece.
//
// Usage:
//   ByteLevelBpeTokenizer tok(readTokenizerJson("tokenizer.json"));
//   auto ids = tok.encode("a red circle", AddSpecial::No);
//   writeTokenizerJson("copy/tokenizer.json", tok.spec());
#pragma once

#include "text/added_tokens.h"
#include "text/bpe_model.h"
#include "text/bpe_tokenizer_spec.h"
#include "text/regex_splitter.h"
#include "text/tokenizer.h"

#include <deque>
#include <memory>
#include <vector>

namespace rd::text {

class ByteLevelBpeTokenizer : public Tokenizer {
public:
    // Throws rd::Error(Format/Unsupported) naming spec.origin when the parts do not fit together
    // (a merge of unknown tokens, a pre-tokenizer without its ByteLevel step, a bad regex).
    explicit ByteLevelBpeTokenizer(BpeTokenizerSpec spec);
    ~ByteLevelBpeTokenizer() override;

    std::vector<int32_t> encode(std::string_view text, AddSpecial addSpecial) const override;
    std::string decode(const std::vector<int32_t>& ids, SkipSpecial skipSpecial) const override;
    std::optional<int32_t> tokenToId(std::string_view token) const override;
    std::string idToToken(int32_t id) const override;
    int32_t vocabSize() const override;
    const SpecialTokenIds& specialIds() const override { return m_spec.special; }
    std::string kindName() const override { return "byte-level-bpe"; }

    const BpeTokenizerSpec& spec() const { return m_spec; }

    // The pieces BPE sees for text without added tokens (after NFC and the regex), still in
    // plain UTF-8: what tests compare with Hugging Face's pre_tokenize_str.
    std::vector<std::string> preTokenize(std::string_view text) const;

private:
    struct Step {
        std::unique_ptr<RegexSplitter> splitter; // null: no regex in this step
        bool addPrefixSpace = false;
    };
    void encodeText(std::string_view text, std::vector<int32_t>& out) const;
    void splitPieces(std::string_view text, std::deque<std::string>& storage,
                     std::vector<std::string_view>& pieces) const;

    BpeTokenizerSpec m_spec;
    AddedTokens m_added;
    std::unique_ptr<BpeModel> m_model;
    std::vector<Step> m_steps;
};

} // namespace rd::text
