// Which ids are BOS, EOS, PAD and UNK: the names tokenizer_config.json gives, or, without that
// file, the conventional spellings ("<s>", "</s>", "<|endoftext|>", "<pad>", "<unk>").
//
// Usage: spec.special = resolveSpecialIds(config, [&](std::string_view t) { return idOf(t); });
#pragma once

#include "text/added_tokens.h"
#include "text/bpe_model.h"
#include "text/hf_tokenizer_config.h"
#include "text/tokenizer.h"

#include <functional>
#include <optional>
#include <string_view>

namespace rd::text {

using TokenLookup = std::function<std::optional<int32_t>(std::string_view)>;

// Looks a token up among the added tokens, then in a BPE vocabulary (both must outlive it).
TokenLookup bpeTokenLookup(const AddedTokens& added, const BpeVocab& vocab);

// A name the vocabulary lacks leaves its id unset (Hugging Face would append a new token, which
// no checkpoint's embedding has a row for).
SpecialTokenIds resolveSpecialIds(const HfTokenizerConfig& config, const TokenLookup& idOf);

} // namespace rd::text
