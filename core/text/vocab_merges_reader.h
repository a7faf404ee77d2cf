// Reads the GPT-2-style pair vocab.json + merges.txt (Qwen2, the LM of InternVL2-1B) as a
// byte-level BPE with Qwen2's conventions (InternVL2 §5): NFC, Qwen2's pre-tokenizer regex, no
// BOS. Added tokens and the special-token names come from tokenizer_config.json (or
// added_tokens.json) in the same folder.
//
// Usage: ByteLevelBpeTokenizer tok(readVocabAndMerges(dir / "vocab.json", dir / "merges.txt"));
#pragma once

#include "text/bpe_tokenizer_spec.h"

#include <filesystem>

namespace rd::text {

// Throws rd::Error(NotFound) for a missing file, Format naming the file and line (merges.txt) or
// token (vocab.json) at fault.
BpeTokenizerSpec readVocabAndMerges(const std::filesystem::path& vocabJson,
                                    const std::filesystem::path& mergesTxt);

} // namespace rd::text
