#include "media/image_io.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_checks.h"
#include "media/image_header.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <ostream>

namespace rd::media {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& path, ErrorKind kind, const std::string& what) {
    throw Error(kind, path.string() + ": " + what);
}

// libjpeg fills a truncated scan with grey and only warns, so a JPEG must end its last scan
// with an end-of-image marker. 0xFF inside entropy-coded data is always byte-stuffed, so FF D9
// after the last start-of-scan can only be that marker.
bool jpegHasEndOfImage(const std::vector<unsigned char>& bytes) {
    std::size_t lastScan = 0;
    for (std::size_t i = 2; i + 1 < bytes.size(); ++i)
        if (bytes[i] == 0xFF && bytes[i + 1] == 0xDA)
            lastScan = i;
    for (std::size_t i = bytes.size() - 1; i > lastScan + 1; --i)
        if (bytes[i - 1] == 0xFF && bytes[i] == 0xD9)
            return true;
    return false;
}

// The BMP header states the file size; OpenCV decodes a short file into a partial image.
bool bmpIsComplete(const std::vector<unsigned char>& bytes) {
    if (bytes.size() < 6)
        return false;
    const std::uint32_t declared =
        bytes[2] | (bytes[3] << 8) | (bytes[4] << 16) | (std::uint32_t(bytes[5]) << 24);
    return declared == 0 || bytes.size() >= declared;
}

// libpng stops once the pixels are in, so a file cut after its image data still decodes; a
// complete PNG ends with its IEND chunk.
bool pngHasEnd(const std::vector<unsigned char>& bytes) {
    static const unsigned char kIend[] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    return bytes.size() >= sizeof kIend &&
           std::equal(std::begin(kIend), std::end(kIend), bytes.end() - sizeof kIend);
}

// The RIFF header states the payload size.
bool webpIsComplete(const std::vector<unsigned char>& bytes) {
    if (bytes.size() < 8)
        return false;
    const std::uint32_t declared =
        bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (std::uint32_t(bytes[7]) << 24);
    return bytes.size() >= std::size_t(declared) + 8;
}

cv::Mat to8Bit(const cv::Mat& image) {
    if (image.depth() == CV_8U)
        return image;
    cv::Mat out;
    const double scale = image.depth() == CV_16U                              ? 1.0 / 257.0
                         : image.depth() == CV_32F || image.depth() == CV_64F ? 255.0
                                                                              : 1.0;
    image.convertTo(out, CV_8U, scale);
    return out;
}

// Straight alpha over a flat background, in BGR(A) order as OpenCV decodes.
cv::Mat compositeAlpha(const cv::Mat& bgra, int background) {
    cv::Mat bgr(bgra.size(), CV_8UC3);
    for (int y = 0; y < bgra.rows; ++y) {
        const auto* in = bgra.ptr<cv::Vec4b>(y);
        auto* out = bgr.ptr<cv::Vec3b>(y);
        for (int x = 0; x < bgra.cols; ++x) {
            const int alpha = in[x][3];
            for (int c = 0; c < 3; ++c)
                out[x][c] = static_cast<unsigned char>(
                    (in[x][c] * alpha + background * (255 - alpha) + 127) / 255);
        }
    }
    return bgr;
}

} // namespace

cv::Mat loadImageRgb(const fs::path& path, const ImageLoadOptions& options) {
    requireNonEmptyFile(path); // names a folder or a missing file as such
    const auto header = readImageHeader(path);
    if (!header)
        fail(path, ErrorKind::Format, "not a PNG, JPEG, WebP, BMP or TIFF image");
    if (header->width <= 0 || header->height <= 0)
        fail(path, ErrorKind::Format, header->format + " header states an empty image");
    const long long pixels = header->width * header->height;
    if (pixels > options.maxPixels)
        fail(path, ErrorKind::Unsupported,
             header->format + " image of " + std::to_string(header->width) + "x" +
                 std::to_string(header->height) + " = " + std::to_string(pixels) +
                 " pixels is over the limit of " + std::to_string(options.maxPixels) +
                 " (refused before decoding)");

    const std::string bytesText = readWholeFile(path);
    const std::vector<unsigned char> bytes(bytesText.begin(), bytesText.end());
    if (header->format == "jpeg" && !jpegHasEndOfImage(bytes))
        fail(path, ErrorKind::Format, "truncated jpeg (no end-of-image marker)");
    if (header->format == "png" && !pngHasEnd(bytes))
        fail(path, ErrorKind::Format, "truncated png (no IEND chunk at the end)");
    if (header->format == "webp" && !webpIsComplete(bytes))
        fail(path, ErrorKind::Format, "truncated webp (shorter than its RIFF header states)");
    if (header->format == "bmp" && !bmpIsComplete(bytes))
        fail(path, ErrorKind::Format, "truncated bmp (shorter than its header states)");

    // JPEG: decode to colour so OpenCV applies the EXIF orientation. Others: keep alpha and
    // depth (IMREAD_UNCHANGED) and convert below.
    const int flags =
        header->format == "jpeg" ? (cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH) : cv::IMREAD_UNCHANGED;
    cv::Mat decoded;
    try {
        decoded = cv::imdecode(bytes, flags);
    } catch (const cv::Exception& e) {
        fail(path, ErrorKind::Format, "cannot decode " + header->format + ": " + e.msg);
    }
    if (decoded.empty())
        fail(path, ErrorKind::Format,
             "cannot decode " + header->format + " (truncated or corrupt)");
    if (decoded.cols != header->width || decoded.rows != header->height) {
        // EXIF orientation may swap the sides; anything else means a lying header.
        if (!(decoded.cols == header->height && decoded.rows == header->width))
            fail(path, ErrorKind::Format, "decoded size differs from the header's");
    }

    cv::Mat image = to8Bit(decoded);
    cv::Mat rgb;
    switch (image.channels()) {
    case 1:
        cv::cvtColor(image, rgb, cv::COLOR_GRAY2RGB);
        break;
    case 3:
        cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);
        break;
    case 4:
        cv::cvtColor(compositeAlpha(image, std::clamp(options.alphaBackground, 0, 255)), rgb,
                     cv::COLOR_BGR2RGB);
        break;
    default:
        fail(path, ErrorKind::Unsupported,
             std::to_string(image.channels()) + "-channel images are not supported");
    }
    return rgb;
}

void saveImageRgb(const fs::path& path, const cv::Mat& rgb) {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error(ErrorKind::InvalidArgument,
                    path.string() + ": saveImageRgb needs a non-empty 8-bit RGB image");
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(), ::tolower);
    std::vector<int> params;
    if (extension == ".jpg" || extension == ".jpeg")
        params = {cv::IMWRITE_JPEG_QUALITY, 95};
    else if (extension != ".png")
        throw Error(ErrorKind::InvalidArgument,
                    path.string() + ": can save .png or .jpg, not '" + extension + "'");
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    std::vector<unsigned char> encoded;
    if (!cv::imencode(extension, bgr, encoded, params))
        throw Error(ErrorKind::Io, path.string() + ": encoding failed");
    writeFileAtomically(path, [&](std::ostream& out) {
        out.write(reinterpret_cast<const char*>(encoded.data()),
                  static_cast<std::streamsize>(encoded.size()));
    });
}

} // namespace rd::media
