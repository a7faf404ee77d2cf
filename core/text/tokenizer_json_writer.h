// Writes a byte-level BPE as a Hugging Face tokenizer.json (atomically), in the layout Qwen2's
// own file uses, so the same file loads here, in `tokenizers` and in transformers.
//
// Usage: writeTokenizerJson(out / "tokenizer.json", trainer.train(corpus));
#pragma once

#include "text/bpe_tokenizer_spec.h"

#include <filesystem>

namespace rd::text {

// Throws rd::Error(NotFound/Io) naming the file when it cannot be written; the old file, if any,
// is left as it was.
void writeTokenizerJson(const std::filesystem::path& path, const BpeTokenizerSpec& spec);

} // namespace rd::text
