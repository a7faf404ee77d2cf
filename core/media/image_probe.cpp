#include "common/error.h"
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
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error(ErrorKind::NotFound, path.string() + ": no such file");
    if (fs::file_size(path, ec) == 0)
        throw Error(ErrorKind::Format, path.string() + ": empty file (0 bytes)");
    if (readImageHeader(path))
        return probeImage(path);
    return probeVideo(path);
}

} // namespace rd::media
