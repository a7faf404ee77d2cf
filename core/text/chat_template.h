// The chat templates of the InternVL2 sizes (InternVL2 §4), as plain text builders: the result is
// what the tokenizer encodes, ending with the assistant header so the model answers next.
//
// Usage:
//   ChatFormat format = chatFormatForInternVL2("1b");                     // Hermes-2
//   std::string text = renderChat(format, instruction, "<image>\nIs it red?");
//   // training target: text + answer + endOfTurn(format)
#pragma once

#include <string>
#include <string_view>

namespace rd::text {

enum class ChatFormat {
    Hermes2 = 1,   // InternVL2-1B (Qwen2)
    InternLm2Chat, // InternVL2-2B/8B/26B; the same text as Hermes-2
    Phi3Chat,      // InternVL2-4B
};

// "hermes2", "internlm2", "phi3". Throws rd::Error(InvalidArgument) listing the names.
ChatFormat chatFormatByName(std::string_view name);
std::string chatFormatName(ChatFormat format);

// "1b", "2b", "4b", "8b", "26b" (case-insensitive, "internvl2-" prefix allowed).
ChatFormat chatFormatForInternVL2(std::string_view size);

// <|im_start|>system\n{SYS}<|im_end|><|im_start|>user\n{Q}<|im_end|><|im_start|>assistant\n
// or <|system|>\n{SYS}<|end|><|user|>\n{Q}<|end|><|assistant|>\n. InternVL's templates keep the
// system block even when the message is empty, and so does this.
std::string renderChat(ChatFormat format, std::string_view system, std::string_view user);

// What closes a turn, and the token generation stops at: <|im_end|> or <|end|>.
std::string endOfTurn(ChatFormat format);

} // namespace rd::text
