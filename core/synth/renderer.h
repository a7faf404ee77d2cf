// Draws scenes with OpenCV: anti-aliased shapes on a grey background at any size, with optional
// background texture, blur and pixel noise, as RGB CV_8UC3 images (the engine's
// image convention). Clips are drawn frame by frame. The same scene and options give the same
// pixels: all randomness comes from options.seed through Rng. (Position jitter belongs to the
// scene, so the ground truth sees it: see jitterScene in scene.h.)
//
// Usage:
//   RenderOptions options;            // 64x64, clean
//   options.width = options.height = 256;
//   cv::Mat rgb = render(scene, options);
//   std::vector<cv::Mat> frames = renderClip(scene, options, 16);
#pragma once

#include "synth/scene.h"

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>

namespace rd::synth {

struct RenderOptions {
    int width = 64; // models train on 64 px; the studio shows 256 px
    int height = 64;
    bool texture = false;    // a smooth grey pattern instead of a flat background
    double blurSigma = 0.0;  // Gaussian blur, in pixels at 64 px (scaled with size)
    double noiseSigma = 0.0; // Gaussian pixel noise, in 8-bit levels
    std::uint64_t seed = 0;  // texture and noise draws
};

cv::Mat render(const Scene& scene, const RenderOptions& options);
std::vector<cv::Mat> renderClip(const Scene& scene, const RenderOptions& options, int frameCount);

// Polygon corners of a shape at the origin with circumradius 1 (y down); empty for a circle.
std::vector<cv::Point2d> shapeOutline(Shape shape, double rotationDeg);

// In-place degradations, shared with the oracle's robustness measurement.
void addGaussianNoise(cv::Mat& rgb, double sigma, std::uint64_t seed);
void blurImage(cv::Mat& rgb, double sigmaPixels);

} // namespace rd::synth
