// The oracle's eyes: finds ShapeWorld objects in an RGB image from its pixels alone. Pixels are
// named by colour (ColorClassifier), each colour's connected blobs become objects, and each blob's
// outline is classified as a shape from scale-free measures: solidity (area over convex hull
// area; a star is far from convex), fill (area over the smallest enclosing circle's area:
// triangle 0.41, square 0.64, hexagon 0.83, circle 1.0) and radial spread (how much the
// outline's distance from the centre varies: circle ~0, triangle ~0.19).
//
// Small images are upsampled to a 256 px working size first, so anti-aliased edges give
// sub-pixel outlines; noisy images (noise estimated from neighbouring-pixel differences) are
// median filtered at that working size.
//
// Usage:
//   ObjectDetector detector;
//   std::vector<DetectedObject> objects = detector.detect(rgb);   // CV_8UC3, RGB order
#pragma once

#include "synth/alignment_judge.h"

#include <opencv2/core/mat.hpp>

#include <vector>

namespace rd::synth {

struct DetectedObject {
    ObservedObject object;
    double areaFraction = 0.0; // of the image
    double solidity = 0.0;
    double fill = 0.0;
    double radialSpread = 0.0; // std / mean of the outline's distance from the centre
};

struct DetectorOptions {
    int workingSize = 256;          // longer side the image is analysed at
    double minObjectRadius = 0.035; // smaller blobs (of the shorter side) are noise
    // Larger blobs are backdrop, not objects: ShapeWorld's largest object covers ~8% of the
    // image, a generator's tinted background far more.
    double maxObjectArea = 0.25;
};

class ObjectDetector {
public:
    explicit ObjectDetector(const DetectorOptions& options = {}) : m_options(options) {}

    // Throws rd::Error(InvalidArgument) unless the image is a non-empty CV_8UC3.
    std::vector<DetectedObject> detect(const cv::Mat& rgb) const;

    // Noise standard deviation estimated from horizontal neighbour differences (0 when clean).
    static double estimateNoise(const cv::Mat& rgb);
    static Shape classifyShape(double solidity, double fill, double radialSpread);

private:
    DetectorOptions m_options;
};

} // namespace rd::synth
