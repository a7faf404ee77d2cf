// Image files in and out. Every image in the engine is an 8-bit RGB cv::Mat (CV_8UC3, channels
// in R, G, B order) once loaded; the media engine converts at the file boundary.
//
// Usage:
//   cv::Mat rgb = rd::media::loadImageRgb("photo.jpg");          // EXIF orientation applied
//   rd::media::saveImageRgb("out.png", rgb);                     // atomic; PNG or JPEG by name
#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <filesystem>

namespace rd::media {

struct ImageLoadOptions {
    // Images with more pixels are refused from their header, before any pixel is decoded.
    std::int64_t maxPixels = 64LL * 1000 * 1000;
    // Transparent pixels are composited over this grey level (0..255).
    int alphaBackground = 255;
};

// PNG, JPEG, WebP, BMP, TIFF; 8/16-bit, grey, alpha -> 8-bit RGB. Throws rd::Error naming the
// file and the cause (missing, empty, not an image, truncated, over the pixel limit).
cv::Mat loadImageRgb(const std::filesystem::path& path, const ImageLoadOptions& options = {});

// Writes PNG (.png) or JPEG (.jpg/.jpeg, quality 95) atomically (temp file + rename).
void saveImageRgb(const std::filesystem::path& path, const cv::Mat& rgb);

} // namespace rd::media
