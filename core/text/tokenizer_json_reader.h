// Reads a Hugging Face tokenizer.json holding a byte-level BPE: model.vocab, model.merges (the
// "a b" string form and the ["a", "b"] pair form), added_tokens, the normalizer (NFC and the
// other normal forms), the pre-tokenizer (Split with a regex, ByteLevel, a Sequence of them) and
// the post-processor's BOS/EOS. A tokenizer_config.json beside it names the special tokens.
//
// Usage:
//   BpeTokenizerSpec spec = readTokenizerJson("tokenizer.json");
//   ByteLevelBpeTokenizer tok(std::move(spec));
#pragma once

#include "text/added_tokens.h"
#include "text/bpe_tokenizer_spec.h"

#include <filesystem>
#include <vector>

namespace rd::text {

// Throws rd::Error(Format) naming the file and the field at fault, Unsupported for a valid
// tokenizer.json this reader cannot serve (a Unigram/WordPiece model, a SentencePiece-style BPE
// without ByteLevel, a normalizer other than the Unicode normal forms).
BpeTokenizerSpec readTokenizerJson(const std::filesystem::path& path);

// Whether the file's pre-tokenizer has a ByteLevel step (GPT-2 family), as opposed to a
// SentencePiece-style BPE (Phi-3, Llama 2) whose tokenizer.model is the one to load.
bool isByteLevelTokenizerJson(const std::filesystem::path& path);

// The added_tokens list alone (for the SentencePiece models that ship a tokenizer.json too).
std::vector<AddedToken> readTokenizerJsonAddedTokens(const std::filesystem::path& path);

} // namespace rd::text
