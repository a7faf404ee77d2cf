#include "media/image_header.h"

#include "common/error.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <vector>

namespace rd::media {
namespace fs = std::filesystem;

namespace {

// Enough for every header we parse except JPEG and TIFF, which seek further.
constexpr std::size_t kPrefix = 64;

class Bytes {
public:
    explicit Bytes(const fs::path& path) : m_in(path, std::ios::binary), m_path(path) {}
    bool ok() const { return static_cast<bool>(m_in); }

    // Reads n bytes at offset; false when the file is shorter.
    bool read(std::uint64_t offset, std::size_t n, std::vector<unsigned char>& out) {
        out.assign(n, 0);
        m_in.clear();
        m_in.seekg(static_cast<std::streamoff>(offset));
        m_in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(n));
        return static_cast<std::size_t>(m_in.gcount()) == n;
    }

    [[noreturn]] void fail(const std::string& format, const std::string& what) const {
        throw Error(ErrorKind::Format, m_path.string() + ": " + format + " header " + what);
    }

private:
    std::ifstream m_in;
    fs::path m_path;
};

std::uint32_t be16(const unsigned char* p) {
    return (p[0] << 8) | p[1];
}
std::uint32_t be32(const unsigned char* p) {
    return (std::uint32_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}
std::uint32_t le16(const unsigned char* p) {
    return p[0] | (p[1] << 8);
}
std::uint32_t le32(const unsigned char* p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t(p[3]) << 24);
}

ImageHeader jpegHeader(Bytes& file) {
    // Walk the marker segments up to a start-of-frame (SOF0..SOF15 but DHT/JPG/DAC).
    std::uint64_t offset = 2;
    std::vector<unsigned char> b;
    for (int segments = 0; segments < 10000; ++segments) {
        if (!file.read(offset, 4, b))
            file.fail("jpeg", "ends before the frame header (truncated)");
        if (b[0] != 0xFF)
            file.fail("jpeg", "has a bad marker");
        const unsigned marker = b[1];
        if (marker == 0xFF) { // fill byte
            ++offset;
            continue;
        }
        const std::uint32_t length = be16(&b[2]);
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
            marker != 0xCC) {
            if (!file.read(offset + 4, 5, b))
                file.fail("jpeg", "frame header is truncated");
            return {"jpeg", be16(&b[3]), be16(&b[1])};
        }
        if (length < 2)
            file.fail("jpeg", "has a segment shorter than its length field");
        offset += 2 + length;
    }
    file.fail("jpeg", "has no frame header");
}

ImageHeader tiffHeader(Bytes& file, const std::vector<unsigned char>& prefix) {
    const bool little = prefix[0] == 'I';
    auto u16 = [&](const unsigned char* p) { return little ? le16(p) : be16(p); };
    auto u32 = [&](const unsigned char* p) { return little ? le32(p) : be32(p); };
    const std::uint32_t ifd = u32(&prefix[4]);
    std::vector<unsigned char> b;
    if (!file.read(ifd, 2, b))
        file.fail("tiff", "directory offset points past the end");
    const std::uint32_t entries = u16(b.data());
    if (!file.read(ifd + 2, std::size_t(entries) * 12, b))
        file.fail("tiff", "directory is truncated");
    ImageHeader header{"tiff", 0, 0};
    for (std::uint32_t i = 0; i < entries; ++i) {
        const unsigned char* e = &b[i * 12];
        const std::uint32_t tag = u16(e), type = u16(e + 2);
        const std::uint32_t value = type == 3 ? u16(e + 8) : u32(e + 8);
        if (tag == 256)
            header.width = value;
        else if (tag == 257)
            header.height = value;
    }
    if (header.width <= 0 || header.height <= 0)
        file.fail("tiff", "has no image size");
    return header;
}

ImageHeader webpHeader(Bytes& file, const std::vector<unsigned char>& p) {
    if (p.size() < 30)
        file.fail("webp", "is truncated");
    const std::string chunk(reinterpret_cast<const char*>(&p[12]), 4);
    if (chunk == "VP8 ") // lossy: 14-bit sizes after the 3-byte start code
        return {"webp", le16(&p[26]) & 0x3FFF, le16(&p[28]) & 0x3FFF};
    if (chunk == "VP8L") { // lossless: 14-bit (size - 1) fields packed after the signature
        const std::uint32_t bits = le32(&p[21]);
        return {"webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
    }
    if (chunk == "VP8X") // extended: 24-bit (size - 1)
        return {"webp", (p[24] | (p[25] << 8) | (p[26] << 16)) + 1LL,
                (p[27] | (p[28] << 8) | (p[29] << 16)) + 1LL};
    file.fail("webp", "has an unknown chunk '" + chunk + "'");
}

} // namespace

std::optional<ImageHeader> readImageHeader(const fs::path& path) {
    Bytes file(path);
    if (!file.ok())
        throw Error(fs::exists(path) ? ErrorKind::Io : ErrorKind::NotFound,
                    path.string() + ": cannot open");
    std::vector<unsigned char> p;
    file.read(0, kPrefix, p); // a short file leaves zeros, which match no magic number
    if (p[0] == 0x89 && p[1] == 'P' && p[2] == 'N' && p[3] == 'G') {
        if (p[12] != 'I' || p[13] != 'H' || p[14] != 'D' || p[15] != 'R')
            file.fail("png", "lacks IHDR (truncated or corrupt)");
        return ImageHeader{"png", be32(&p[16]), be32(&p[20])};
    }
    if (p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return jpegHeader(file);
    if (std::equal(p.begin(), p.begin() + 4, "RIFF") &&
        std::equal(p.begin() + 8, p.begin() + 12, "WEBP"))
        return webpHeader(file, p);
    if (p[0] == 'B' && p[1] == 'M') {
        const long long height = static_cast<std::int32_t>(le32(&p[22]));
        return ImageHeader{"bmp", static_cast<std::int32_t>(le32(&p[18])), std::llabs(height)};
    }
    if ((p[0] == 'I' && p[1] == 'I' && p[2] == 42 && p[3] == 0) ||
        (p[0] == 'M' && p[1] == 'M' && p[2] == 0 && p[3] == 42))
        return tiffHeader(file, p);
    return std::nullopt;
}

} // namespace rd::media
