// The Hugging Face side files beside a vocabulary: tokenizer_config.json (added_tokens_decoder,
// bos/eos/pad/unk tokens, add_bos_token, legacy) and added_tokens.json. Every field is optional;
// a folder without them gives an empty config.
//
// Usage:
//   HfTokenizerConfig config = readHfTokenizerConfig("checkpoints/internvl2-2b");
//   if (config.addBosToken.value_or(true)) ...
#pragma once

#include "text/added_tokens.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rd::text {

struct HfTokenizerConfig {
    // From added_tokens_decoder, else added_tokens.json (whose tokens count as special).
    std::vector<AddedToken> addedTokens;
    std::optional<std::string> bosToken;
    std::optional<std::string> eosToken;
    std::optional<std::string> padToken;
    std::optional<std::string> unkToken;
    std::optional<bool> addBosToken;
    std::optional<bool> addEosToken;
    // Llama/Phi-3 SentencePiece: false means no dummy prefix on text after an added token.
    std::optional<bool> legacy;
    bool found = false; // whether tokenizer_config.json exists
};

// Throws rd::Error(Format) naming the file and field when one of the files is malformed.
HfTokenizerConfig readHfTokenizerConfig(const std::filesystem::path& folder);

} // namespace rd::text
