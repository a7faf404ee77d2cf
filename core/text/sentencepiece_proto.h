// One edit to a serialized SentencePiece ModelProto, done on the protobuf wire format because
// Debian's libsentencepiece ships no generated proto headers: switching the dummy prefix off, as
// transformers does for Llama-family tokenizers with legacy=false (Phi-3), so text that follows
// an added token does not gain a leading "▁".
//
// Usage: processor.LoadFromSerializedProto(withoutDummyPrefix(readWholeFile(modelPath)));
#pragma once

#include <string>
#include <string_view>

namespace rd::text {

// Throws rd::Error(Format) naming `origin` when the bytes are not a well-formed message.
std::string withoutDummyPrefix(std::string_view model, const std::string& origin);

} // namespace rd::text
