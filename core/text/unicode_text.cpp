#include "text/unicode_text.h"

#include "common/error.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace rd::text {

namespace {

// Length of the valid sequence at text[i], or 0 with `consumed` set to the length of the maximal
// malformed subpart (at least 1), following Unicode's "maximal subpart" practice (table 3-7).
size_t validSequenceAt(std::string_view text, size_t i, size_t& consumed) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    consumed = 1;
    if (lead < 0x80)
        return 1;
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            low = 0xA0; // no overlong forms
        if (lead == 0xED)
            high = 0x9F; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            low = 0x90;
        if (lead == 0xF4)
            high = 0x8F; // nothing above U+10FFFF
    } else {
        return 0;
    }
    for (size_t k = 1; k < length; ++k) {
        if (i + k >= text.size())
            return 0;
        const unsigned char c = byte(i + k);
        const bool ok = k == 1 ? (c >= low && c <= high) : (c >= 0x80 && c <= 0xBF);
        if (!ok)
            return 0;
        consumed = k + 1;
    }
    return length;
}

} // namespace

size_t utf8SequenceLength(unsigned char c) {
    if (c >= 0xF0 && c <= 0xF7)
        return 4;
    if (c >= 0xE0)
        return c <= 0xEF ? 3 : 1;
    if (c >= 0xC0)
        return 2;
    return 1;
}

std::optional<size_t> firstInvalidUtf8(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
        if (static_cast<unsigned char>(text[i]) < 0x80) { // ASCII fast path
            ++i;
            continue;
        }
        size_t consumed = 0;
        const size_t length = validSequenceAt(text, i, consumed);
        if (length == 0)
            return i;
        i += length;
    }
    return std::nullopt;
}

void requireUtf8(std::string_view text, std::string_view what) {
    if (auto bad = firstInvalidUtf8(text))
        throw Error(ErrorKind::InvalidArgument,
                    std::string(what) + ": not valid UTF-8 at byte " + std::to_string(*bad));
}

std::string repairUtf8(std::string_view bytes) {
    if (!firstInvalidUtf8(bytes))
        return std::string(bytes);
    std::string out;
    out.reserve(bytes.size() + 8);
    size_t i = 0;
    while (i < bytes.size()) {
        size_t consumed = 0;
        const size_t length = validSequenceAt(bytes, i, consumed);
        if (length > 0) {
            out.append(bytes.substr(i, length));
            i += length;
        } else {
            out += "\xEF\xBF\xBD";
            i += consumed;
        }
    }
    return out;
}

std::string normalizeUnicode(std::string_view text, NormalForm form) {
    if (form == NormalForm::None || text.empty())
        return std::string(text);
    // ASCII is invariant under every normal form; text below U+0300, where the combining marks
    // begin, is already NFC (lead bytes up to 0xCB encode U+0080..U+02FF).
    bool ascii = true, belowCombining = true;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        ascii = ascii && byte < 0x80;
        belowCombining = belowCombining && byte < 0xCC;
    }
    if (ascii || (form == NormalForm::Nfc && belowCombining))
        return std::string(text);
    int options = UTF8PROC_STABLE;
    switch (form) {
    case NormalForm::Nfc:
        options |= UTF8PROC_COMPOSE;
        break;
    case NormalForm::Nfd:
        options |= UTF8PROC_DECOMPOSE;
        break;
    case NormalForm::Nfkc:
        options |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
        break;
    case NormalForm::Nfkd:
        options |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT;
        break;
    case NormalForm::None:
        break;
    }
    utf8proc_uint8_t* result = nullptr;
    const utf8proc_ssize_t length =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                     static_cast<utf8proc_ssize_t>(text.size()), &result,
                     static_cast<utf8proc_option_t>(options));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(result, &std::free);
    if (length < 0)
        throw Error(ErrorKind::InvalidArgument,
                    std::string("unicode normalisation failed: ") + utf8proc_errmsg(length));
    return std::string(reinterpret_cast<const char*>(result), static_cast<size_t>(length));
}

} // namespace rd::text
