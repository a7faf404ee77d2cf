#include "text/chat_template.h"

#include "common/error.h"

#include <algorithm>
#include <cctype>

namespace rd::text {

namespace {

struct Markers {
    const char* system;
    const char* user;
    const char* assistant;
    const char* end;
};

// InternVL's conversation.py: sep_style MPT, so each turn is role + message + sep, without a
// newline after the separator.
Markers markersOf(ChatFormat format) {
    if (format == ChatFormat::Phi3Chat)
        return {"<|system|>\n", "<|user|>\n", "<|assistant|>\n", "<|end|>"};
    return {"<|im_start|>system\n", "<|im_start|>user\n", "<|im_start|>assistant\n", "<|im_end|>"};
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

ChatFormat chatFormatByName(std::string_view name) {
    const std::string key = lower(name);
    if (key == "hermes2" || key == "hermes-2")
        return ChatFormat::Hermes2;
    if (key == "internlm2" || key == "internlm2-chat")
        return ChatFormat::InternLm2Chat;
    if (key == "phi3" || key == "phi3-chat")
        return ChatFormat::Phi3Chat;
    throw Error(ErrorKind::InvalidArgument,
                "unknown chat format '" + std::string(name) + "' (hermes2, internlm2, phi3)");
}

std::string chatFormatName(ChatFormat format) {
    switch (format) {
    case ChatFormat::Hermes2:
        return "hermes2";
    case ChatFormat::InternLm2Chat:
        return "internlm2";
    case ChatFormat::Phi3Chat:
        return "phi3";
    }
    return "hermes2";
}

ChatFormat chatFormatForInternVL2(std::string_view size) {
    std::string key = lower(size);
    if (key.rfind("internvl2-", 0) == 0)
        key = key.substr(10);
    if (key == "1b")
        return ChatFormat::Hermes2;
    if (key == "2b" || key == "8b" || key == "26b")
        return ChatFormat::InternLm2Chat;
    if (key == "4b")
        return ChatFormat::Phi3Chat;
    throw Error(ErrorKind::InvalidArgument,
                "unknown InternVL2 size '" + std::string(size) + "' (1b, 2b, 4b, 8b, 26b)");
}

std::string renderChat(ChatFormat format, std::string_view system, std::string_view user) {
    const Markers m = markersOf(format);
    std::string text;
    text.reserve(system.size() + user.size() + 96);
    text.append(m.system).append(system).append(m.end);
    text.append(m.user).append(user).append(m.end);
    text.append(m.assistant);
    return text;
}

std::string endOfTurn(ChatFormat format) {
    return markersOf(format).end;
}

} // namespace rd::text
