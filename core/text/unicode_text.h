// UTF-8 helpers the tokenizers share: validation, lossy repair and Unicode normalisation
// (utf8proc).
//
// Usage:
//   if (auto bad = firstInvalidUtf8(text)) ...;        // byte offset of the first bad sequence
//   std::string nfc = normalizeUnicode(text, NormalForm::Nfc);
//   std::string shown = repairUtf8(decodedBytes);       // bad sequences become U+FFFD
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rd::text {

enum class NormalForm { None = 1, Nfc, Nfd, Nfkc, Nfkd };

// The byte offset of the first malformed sequence, or nullopt when the text is valid UTF-8.
std::optional<size_t> firstInvalidUtf8(std::string_view text);

// Throws rd::Error(InvalidArgument) naming `what` and the offset when text is not valid UTF-8.
void requireUtf8(std::string_view text, std::string_view what);

// Replaces each maximal malformed subsequence by U+FFFD (the rule of Rust's from_utf8_lossy, which
// Hugging Face's decoders use).
std::string repairUtf8(std::string_view bytes);

// Expects valid UTF-8.
std::string normalizeUnicode(std::string_view text, NormalForm form);

// Length in bytes of the UTF-8 sequence that starts with lead byte c (1 for a stray byte).
size_t utf8SequenceLength(unsigned char c);

} // namespace rd::text
