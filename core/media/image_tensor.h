// Model-ready tensors from RGB images and video frames (INTERNVL2.md §3): resize (bicubic, with
// an area pre-shrink so large reductions do not alias), centre-crop or pad, normalise with the
// model's mean/std, and InternVL's dynamic tiling. Part of rd_media_tensor (links LibTorch).
//
// Usage:
//   torch::Tensor tiles = dynamicTiles(rgb, {448, 1, 12, true}, kImageNetNorm); // [N,3,448,448]
//   torch::Tensor pair = pairBatch(reference, candidate, 64, FitMode::Pad, kImageNetNorm);
#pragma once

#include "media/video_decoder.h"

#include <ATen/core/Tensor.h>
#include <opencv2/core/mat.hpp>

#include <array>
#include <vector>

namespace rd::media {

struct Normalization {
    std::array<float, 3> mean;
    std::array<float, 3> std;
};
// InternVL (and most ViTs) use the ImageNet statistics.
inline constexpr Normalization kImageNetNorm{{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};

enum class FitMode {
    Stretch = 1, // resize to size x size, ignoring the aspect ratio
    CenterCrop,  // scale the short side to size, crop the centre
    Pad,         // scale the long side to size, pad the rest with the mean colour
};

// Resizes to size x size (see FitMode) with bicubic interpolation. Returns RGB CV_8UC3.
cv::Mat fitImage(const cv::Mat& rgb, int size, FitMode mode);

// [3, H, W] float32: (pixel / 255 - mean) / std, channels R, G, B.
at::Tensor toTensor(const cv::Mat& rgb, const Normalization& norm);

struct TileGrid {
    int columns = 1;
    int rows = 1;
};

struct TilingOptions {
    int tileSize = 448;
    int minTiles = 1;
    int maxTiles = 12;
    bool thumbnail = true; // append a whole-image tile when there is more than one tile
};

// InternVL's dynamic_preprocess grid: among grids with min <= columns*rows <= max (sorted by
// tile count), the aspect ratio closest to the image's; on an exact tie the larger grid wins
// when the image covers more than half of its area.
TileGrid chooseTileGrid(int width, int height, const TilingOptions& options);

// [tiles (+1 thumbnail), 3, tileSize, tileSize], tiles row-major, thumbnail last.
at::Tensor dynamicTiles(const cv::Mat& rgb, const TilingOptions& options,
                        const Normalization& norm);

// [2, 3, size, size]: image 1 (the reference) then image 2 (the candidate), as the pairwise RM
// reads them (paper Eq. 2).
at::Tensor pairBatch(const cv::Mat& reference, const cv::Mat& candidate, int size, FitMode mode,
                     const Normalization& norm);

// [N, 3, size, size] from sampled frames (one tile per frame, no thumbnail, as InternVL does).
at::Tensor framesBatch(const std::vector<VideoFrame>& frames, int size, FitMode mode,
                       const Normalization& norm);

} // namespace rd::media
