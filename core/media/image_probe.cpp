#include "common/error.h"
#include "common/file_checks.h"
#include "media/image_header.h"
#include "media/image_io.h"
#include "media/media_info.h"

namespace rd::media {
namespace fs = std::filesystem;

MediaInfo probeImage(const fs::path& path) {
    // Decoding in full (under the pixel limit) proves the file is usable, not just its header.
    const cv::Mat image = loadImageRgb(path);
    MediaInfo info;
    info.type = MediaType::Image;
    info.container = readImageHeader(path)->format;
    info.codec = info.container;
    info.width = image.cols;
    info.height = image.rows;
    return info;
}

MediaInfo probeMedia(const fs::path& path) {
    requireNonEmptyFile(path);
    if (readImageHeader(path))
        return probeImage(path);
    return probeVideo(path);
}

} // namespace rd::media
