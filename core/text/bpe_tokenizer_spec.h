// Everything a byte-level BPE tokenizer is made of, as read from tokenizer.json or
// vocab.json + merges.txt, or as produced by the BPE trainer; and what the tokenizer.json writer
// writes back.
//
// Usage: BpeTokenizerSpec spec = readTokenizerJson(path); ByteLevelBpeTokenizer tok(spec);
#pragma once

#include "text/added_tokens.h"
#include "text/bpe_model.h"
#include "text/tokenizer.h"
#include "text/unicode_text.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rd::text {

struct PreTokenizerStep {
    enum class Kind { Split = 1, ByteLevel };
    Kind kind = Kind::Split;
    // Split: the regex. ByteLevel: kGpt2Pattern when it splits by itself (use_regex), else empty.
    std::string pattern;
    bool addPrefixSpace = false; // ByteLevel only: " " before each piece that lacks one
};

struct BpeTokenizerSpec {
    BpeVocab vocab;
    BpeMerges merges; // rank order
    std::vector<AddedToken> addedTokens;
    NormalForm normalForm = NormalForm::None;
    std::vector<PreTokenizerStep> preTokenizer; // ends with the ByteLevel step
    std::optional<std::string> unkToken;
    bool ignoreMerges = false;
    // Put around the text by encode(..., AddSpecial::Yes) (a post-processor template's BOS/EOS).
    std::vector<int32_t> prefixIds;
    std::vector<int32_t> suffixIds;
    SpecialTokenIds special;
    // The file(s) this came from, for error messages.
    std::string origin;
    // Names merge i in messages ("merges.txt:14"); unset: origin + ": merge i".
    std::function<std::string(size_t)> describeMerge;
};

} // namespace rd::text
