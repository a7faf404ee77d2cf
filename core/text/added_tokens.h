// Added tokens (chat markers, image markers, BOS/EOS spelled out): found in the raw text before
// normalisation and the model's own splitting, leftmost and then longest first, as Hugging Face
// does, so "<|im_start|>" is always one id and never the BPE of its characters.
//
// Usage:
//   AddedTokens added({{"<|im_start|>", 151644}, {"<|im_end|>", 151645}});
//   std::vector<TextSegment> segments;
//   added.split("<|im_start|>user", segments);   // {id 151644}, {text "user"}
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rd::text {

struct AddedToken {
    std::string content;
    int32_t id = -1;
    bool special = true; // dropped by decode(..., SkipSpecial::Yes)
    bool lstrip = false; // also swallows the whitespace before it
    bool rstrip = false; // also swallows the whitespace after it
    // Kept for writing tokenizer.json back; matching is on the raw text either way (the two agree
    // for the ASCII markers every InternVL2 tokenizer adds).
    bool normalized = false;
};

// A piece of text to give the model, or (id >= 0) an added token.
struct TextSegment {
    std::string_view text;
    int32_t id = -1;
};

class AddedTokens {
public:
    AddedTokens() = default;
    // A later token with the content of an earlier one is ignored; empty contents never match.
    explicit AddedTokens(std::vector<AddedToken> tokens);

    void split(std::string_view text, std::vector<TextSegment>& out) const;

    const AddedToken* byId(int32_t id) const;
    std::optional<int32_t> idOf(std::string_view content) const;
    const std::vector<AddedToken>& tokens() const { return m_tokens; }
    bool empty() const { return m_tokens.empty(); }
    int32_t maxId() const { return m_maxId; }

private:
    std::vector<AddedToken> m_tokens;
    std::unordered_map<int32_t, size_t> m_byId;
    std::unordered_map<std::string, int32_t> m_byContent;
    // Indices of the tokens starting with each byte, longest first.
    std::array<std::vector<size_t>, 256> m_byFirstByte;
    int32_t m_maxId = -1;
};

} // namespace rd::text
