// The one loading path for every tokenizer: trained here or downloaded with a checkpoint.
//
// Usage:
//   auto tok = rd::text::loadTokenizer(path);
// where path is
//   - a tokenizer.json (byte-level BPE: ours, Qwen2, GPT-2 family),
//   - a SentencePiece .model file (InternLM2, Phi-3; a tokenizer_config.json beside it adds the
//     added tokens and the BOS/EOS flags),
//   - a vocab.json with merges.txt beside it (Qwen2), or
//   - a folder holding one of these; a byte-level tokenizer.json is preferred, then
//     tokenizer.model, then vocab.json + merges.txt.
#pragma once

#include "text/tokenizer.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rd::text {

// Throws rd::Error(NotFound) when nothing loadable is there, Format/Unsupported naming the file
// and what is wrong with it.
std::unique_ptr<Tokenizer> loadTokenizer(const std::filesystem::path& path);

// The bytes a byte-level BPE without an unk token has no token for: Hugging Face's rule drops
// such text silently. Empty for SentencePiece and for a tokenizer with an unk token.
std::vector<unsigned char> bytesWithoutToken(const Tokenizer& tokenizer);

// Throws rd::Error(Format) naming `where` (the tokenizer's file) when the tokenizer would drop
// some byte of text: the first such byte and how many of the 256 have no token.
void requireEncodable(const Tokenizer& tokenizer, std::string_view text, const std::string& where);

} // namespace rd::text
