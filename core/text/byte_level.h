// GPT-2's byte-to-unicode map, which byte-level BPE vocabularies (GPT-2, Qwen2, our trained
// tokenizers) are spelled in: every byte becomes a printable character, so " hello" is "Ġhello".
//
// Usage:
//   std::string spelled = byteLevelEncode(" héllo");   // "ĠhÃ©llo"
//   std::string bytes = byteLevelDecode(spelled);        // " héllo"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rd::text {

// The UTF-8 spelling of one byte.
const std::string& byteLevelChar(uint8_t byte);

std::string byteLevelEncode(std::string_view bytes);

// Maps each character back to its byte; characters outside the map (they never occur in a
// well-formed byte-level vocabulary) are kept as their own UTF-8 bytes.
std::string byteLevelDecode(std::string_view spelled);

} // namespace rd::text
