// Reads an image's format and pixel size from its header alone, so an oversized image
// (a decompression bomb) is refused before a single pixel is decoded.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace rd::media {

struct ImageHeader {
    std::string format; // "png", "jpeg", "webp", "bmp", "tiff"
    long long width = 0;
    long long height = 0;
};

// std::nullopt when the bytes are not one of the five formats. Throws rd::Error(Format) when the
// magic number matches but the header is cut short or malformed.
std::optional<ImageHeader> readImageHeader(const std::filesystem::path& path);

} // namespace rd::media
