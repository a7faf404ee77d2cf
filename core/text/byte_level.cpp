#include "text/byte_level.h"

#include "text/unicode_text.h"

#include <array>
#include <unordered_map>

namespace rd::text {

namespace {

std::string utf8Of(uint32_t codepoint) {
    std::string out;
    if (codepoint < 0x80) {
        out += static_cast<char>(codepoint);
    } else if (codepoint < 0x800) {
        out += static_cast<char>(0xC0 | (codepoint >> 6));
        out += static_cast<char>(0x80 | (codepoint & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (codepoint >> 12));
        out += static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codepoint & 0x3F));
    }
    return out;
}

struct ByteLevelTables {
    std::array<std::string, 256> spelling;
    std::unordered_map<uint32_t, uint8_t> byteOf; // code point -> byte

    ByteLevelTables() {
        // GPT-2 (openai/gpt-2 encoder.py bytes_to_unicode): printable Latin-1 bytes keep their
        // code point, the other 68 bytes take 256, 257, ... in byte order.
        const auto printable = [](int b) {
            return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        };
        uint32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            const uint32_t codepoint = printable(b) ? static_cast<uint32_t>(b) : next++;
            spelling[b] = utf8Of(codepoint);
            byteOf[codepoint] = static_cast<uint8_t>(b);
        }
    }
};

const ByteLevelTables& tables() {
    static const ByteLevelTables instance;
    return instance;
}

} // namespace

const std::string& byteLevelChar(uint8_t byte) {
    return tables().spelling[byte];
}

std::string byteLevelEncode(std::string_view bytes) {
    const auto& spelling = tables().spelling;
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes)
        out += spelling[static_cast<uint8_t>(c)];
    return out;
}

std::string byteLevelDecode(std::string_view spelled) {
    const auto& byteOf = tables().byteOf;
    std::string out;
    out.reserve(spelled.size());
    size_t i = 0;
    while (i < spelled.size()) {
        const auto lead = static_cast<unsigned char>(spelled[i]);
        size_t length = utf8SequenceLength(lead);
        if (i + length > spelled.size())
            length = 1;
        uint32_t codepoint = lead;
        if (length == 2)
            codepoint =
                ((lead & 0x1Fu) << 6) | (static_cast<unsigned char>(spelled[i + 1]) & 0x3Fu);
        auto found = length <= 2 ? byteOf.find(codepoint) : byteOf.end();
        if (found != byteOf.end())
            out += static_cast<char>(found->second);
        else
            out.append(spelled.substr(i, length));
        i += length;
    }
    return out;
}

} // namespace rd::text
