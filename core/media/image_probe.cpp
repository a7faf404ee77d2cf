#include "common/error.h"
#include "media/media_info.h"

#include <opencv2/imgcodecs.hpp>

#include <fstream>

namespace rd::media {
namespace fs = std::filesystem;

namespace {

// Magic numbers of the image formats OpenCV reads here.
std::string sniffImageFormat(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char b[12] = {};
    in.read(reinterpret_cast<char*>(b), sizeof b);
    const auto got = in.gcount();
    if (got >= 8 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G')
        return "png";
    if (got >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return "jpeg";
    if (got >= 12 && std::equal(b, b + 4, "RIFF") && std::equal(b + 8, b + 12, "WEBP"))
        return "webp";
    if (got >= 2 && b[0] == 'B' && b[1] == 'M')
        return "bmp";
    if (got >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) ||
                     (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42)))
        return "tiff";
    return {};
}

} // namespace

MediaInfo probeImage(const fs::path& path) {
    const std::string format = sniffImageFormat(path);
    if (format.empty())
        throw Error(ErrorKind::Format,
                    path.string() + ": not a PNG, JPEG, WebP, BMP or TIFF image");
    cv::Mat image;
    try {
        image = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        throw Error(ErrorKind::Format, path.string() + ": cannot decode " + format + ": " + e.msg);
    }
    if (image.empty())
        throw Error(ErrorKind::Format,
                    path.string() + ": cannot decode " + format + " (truncated or corrupt)");
    MediaInfo info;
    info.type = MediaType::Image;
    info.container = format;
    info.codec = format;
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
    if (!sniffImageFormat(path).empty())
        return probeImage(path);
    return probeVideo(path);
}

} // namespace rd::media
