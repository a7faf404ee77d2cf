#include "text/sentencepiece_proto.h"

#include "common/error.h"

#include <cstdint>

namespace rd::text {

namespace {

// ModelProto.normalizer_spec is field 3; NormalizerSpec.add_dummy_prefix is field 3 (bool).
constexpr uint64_t kNormalizerSpecField = 3;
constexpr uint64_t kAddDummyPrefixField = 3;
constexpr int kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5;

class WireReader {
public:
    WireReader(std::string_view bytes, const std::string& origin)
        : m_bytes(bytes), m_origin(origin) {}

    bool done() const { return m_position >= m_bytes.size(); }
    size_t position() const { return m_position; }

    uint64_t varint() {
        uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (done())
                fail("truncated varint");
            const auto byte = static_cast<uint8_t>(m_bytes[m_position++]);
            value |= static_cast<uint64_t>(byte & 0x7F) << shift;
            if (!(byte & 0x80))
                return value;
        }
        fail("varint longer than 10 bytes");
    }

    // Skips the value of a field of the given wire type; returns the payload for length-delimited
    // fields.
    std::string_view skipValue(int wireType) {
        size_t length = 0;
        switch (wireType) {
        case kVarint:
            varint();
            return {};
        case kFixed64:
            length = 8;
            break;
        case kFixed32:
            length = 4;
            break;
        case kLengthDelimited:
            length = static_cast<size_t>(varint());
            break;
        default:
            fail("unknown wire type " + std::to_string(wireType));
        }
        if (length > m_bytes.size() - m_position)
            fail("field runs past the end of the data");
        const std::string_view payload = m_bytes.substr(m_position, length);
        m_position += length;
        return payload;
    }

    [[noreturn]] void fail(const std::string& problem) const {
        throw Error(ErrorKind::Format, m_origin + ": not a SentencePiece model (" + problem +
                                           " at byte " + std::to_string(m_position) + ")");
    }

private:
    std::string_view m_bytes;
    const std::string& m_origin;
    size_t m_position = 0;
};

void putVarint(std::string& out, uint64_t value) {
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7F) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

std::string rewriteNormalizer(std::string_view spec, const std::string& origin) {
    WireReader reader(spec, origin);
    std::string out;
    while (!reader.done()) {
        const size_t start = reader.position();
        const uint64_t tag = reader.varint();
        reader.skipValue(static_cast<int>(tag & 7));
        if ((tag >> 3) != kAddDummyPrefixField)
            out.append(spec.substr(start, reader.position() - start));
    }
    putVarint(out, kAddDummyPrefixField << 3 | kVarint);
    putVarint(out, 0);
    return out;
}

} // namespace

std::string withoutDummyPrefix(std::string_view model, const std::string& origin) {
    WireReader reader(model, origin);
    std::string out;
    bool sawNormalizer = false;
    while (!reader.done()) {
        const size_t start = reader.position();
        const uint64_t tag = reader.varint();
        const int wireType = static_cast<int>(tag & 7);
        const std::string_view payload = reader.skipValue(wireType);
        if ((tag >> 3) == kNormalizerSpecField && wireType == kLengthDelimited) {
            const std::string spec = rewriteNormalizer(payload, origin);
            putVarint(out, tag);
            putVarint(out, spec.size());
            out += spec;
            sawNormalizer = true;
        } else {
            out.append(model.substr(start, reader.position() - start));
        }
    }
    if (!sawNormalizer) { // every other NormalizerSpec field keeps its default
        const std::string spec = rewriteNormalizer({}, origin);
        putVarint(out, kNormalizerSpecField << 3 | kLengthDelimited);
        putVarint(out, spec.size());
        out += spec;
    }
    return out;
}

} // namespace rd::text
