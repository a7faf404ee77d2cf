#include "media/image_tensor.h"

#include "common/error.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <cmath>

namespace rd::media {

namespace {

// Bicubic resize; shrinking by more than 2x first averages pixels (INTER_AREA) down to twice
// the target, as an antialiased bicubic filter (PIL's, which InternVL uses) effectively does.
cv::Mat resizeBicubic(const cv::Mat& rgb, cv::Size target) {
    cv::Mat source = rgb;
    if (source.cols > 2 * target.width && source.rows > 2 * target.height) {
        cv::Mat shrunk;
        cv::resize(source, shrunk, cv::Size(2 * target.width, 2 * target.height), 0, 0,
                   cv::INTER_AREA);
        source = shrunk;
    }
    if (source.size() == target)
        return source.clone();
    cv::Mat out;
    cv::resize(source, out, target, 0, 0, cv::INTER_CUBIC);
    return out;
}

void requireRgb(const cv::Mat& rgb) {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error(ErrorKind::InvalidArgument, "expected a non-empty 8-bit RGB image");
}

} // namespace

cv::Mat fitImage(const cv::Mat& rgb, int size, FitMode mode) {
    requireRgb(rgb);
    if (size <= 0)
        throw Error(ErrorKind::InvalidArgument, "image size must be positive");
    if (mode == FitMode::Stretch)
        return resizeBicubic(rgb, cv::Size(size, size));
    const double scale = mode == FitMode::CenterCrop
                             ? static_cast<double>(size) / std::min(rgb.cols, rgb.rows)
                             : static_cast<double>(size) / std::max(rgb.cols, rgb.rows);
    const cv::Size scaled(std::max(1, static_cast<int>(std::lround(rgb.cols * scale))),
                          std::max(1, static_cast<int>(std::lround(rgb.rows * scale))));
    cv::Mat resized = resizeBicubic(rgb, scaled);
    if (mode == FitMode::CenterCrop) {
        const int x = (resized.cols - size) / 2, y = (resized.rows - size) / 2;
        return resized(cv::Rect(std::max(0, x), std::max(0, y), size, size)).clone();
    }
    // Pad with the normalisation mean (a zero after normalising) around the centred image.
    cv::Mat canvas(size, size, CV_8UC3,
                   cv::Scalar(std::lround(kImageNetNorm.mean[0] * 255),
                              std::lround(kImageNetNorm.mean[1] * 255),
                              std::lround(kImageNetNorm.mean[2] * 255)));
    resized.copyTo(canvas(cv::Rect((size - resized.cols) / 2, (size - resized.rows) / 2,
                                   resized.cols, resized.rows)));
    return canvas;
}

at::Tensor toTensor(const cv::Mat& rgb, const Normalization& norm) {
    requireRgb(rgb);
    cv::Mat contiguous = rgb.isContinuous() ? rgb : rgb.clone();
    // from_blob borrows the Mat's memory: clone() so the tensor owns its data.
    torch::Tensor hwc =
        torch::from_blob(contiguous.data, {contiguous.rows, contiguous.cols, 3}, torch::kUInt8)
            .clone();
    torch::Tensor chw = hwc.permute({2, 0, 1}).to(torch::kFloat32).div_(255.0);
    const auto mean = torch::tensor({norm.mean[0], norm.mean[1], norm.mean[2]}).view({3, 1, 1});
    const auto std = torch::tensor({norm.std[0], norm.std[1], norm.std[2]}).view({3, 1, 1});
    return chw.sub_(mean).div_(std).contiguous();
}

TileGrid chooseTileGrid(int width, int height, const TilingOptions& options) {
    if (width <= 0 || height <= 0 || options.minTiles < 1 || options.maxTiles < options.minTiles)
        throw Error(ErrorKind::InvalidArgument, "bad image size or tile limits");
    std::vector<TileGrid> grids;
    for (int n = options.minTiles; n <= options.maxTiles; ++n)
        for (int c = 1; c <= n; ++c)
            for (int r = 1; r <= n; ++r)
                if (c * r >= options.minTiles && c * r <= options.maxTiles) {
                    bool seen = false;
                    for (const auto& g : grids)
                        seen = seen || (g.columns == c && g.rows == r);
                    if (!seen)
                        grids.push_back({c, r});
                }
    std::stable_sort(grids.begin(), grids.end(), [](const TileGrid& a, const TileGrid& b) {
        return a.columns * a.rows < b.columns * b.rows;
    });
    const double aspect = static_cast<double>(width) / height;
    const double area = static_cast<double>(width) * height;
    double bestDiff = 1e300;
    TileGrid best{1, 1};
    for (const TileGrid& g : grids) {
        const double diff = std::fabs(aspect - static_cast<double>(g.columns) / g.rows);
        if (diff < bestDiff) {
            bestDiff = diff;
            best = g;
        } else if (diff == bestDiff &&
                   area > 0.5 * options.tileSize * options.tileSize * g.columns * g.rows) {
            best = g;
        }
    }
    return best;
}

at::Tensor dynamicTiles(const cv::Mat& rgb, const TilingOptions& options,
                        const Normalization& norm) {
    requireRgb(rgb);
    const TileGrid grid = chooseTileGrid(rgb.cols, rgb.rows, options);
    const int s = options.tileSize;
    const cv::Mat resized = resizeBicubic(rgb, cv::Size(s * grid.columns, s * grid.rows));
    std::vector<torch::Tensor> tiles;
    for (int r = 0; r < grid.rows; ++r)
        for (int c = 0; c < grid.columns; ++c)
            tiles.push_back(toTensor(resized(cv::Rect(c * s, r * s, s, s)), norm));
    if (options.thumbnail && tiles.size() > 1)
        tiles.push_back(toTensor(resizeBicubic(rgb, cv::Size(s, s)), norm));
    return torch::stack(tiles);
}

at::Tensor pairBatch(const cv::Mat& reference, const cv::Mat& candidate, int size, FitMode mode,
                     const Normalization& norm) {
    return torch::stack({toTensor(fitImage(reference, size, mode), norm),
                         toTensor(fitImage(candidate, size, mode), norm)});
}

at::Tensor framesBatch(const std::vector<VideoFrame>& frames, int size, FitMode mode,
                       const Normalization& norm) {
    if (frames.empty())
        throw Error(ErrorKind::InvalidArgument, "no frames to batch");
    std::vector<torch::Tensor> tensors;
    for (const VideoFrame& frame : frames)
        tensors.push_back(toTensor(fitImage(frame.rgb, size, mode), norm));
    return torch::stack(tensors);
}

} // namespace rd::media
