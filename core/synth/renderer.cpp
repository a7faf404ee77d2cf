#include "synth/renderer.h"

#include "common/error.h"
#include "synth/rng.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace rd::synth {

namespace {

constexpr int kShift = 4; // sub-pixel bits for OpenCV's anti-aliased drawing
constexpr double kScale = 1 << kShift;
constexpr double kPi = 3.14159265358979323846;

cv::Scalar rgbScalar(Color color) {
    const Rgb c = paletteRgb(color);
    return cv::Scalar(c.r, c.g, c.b); // the Mat is RGB, so channel 0 is red
}

cv::Point fixedPoint(double x, double y) {
    return cv::Point(static_cast<int>(std::lround(x * kScale)),
                     static_cast<int>(std::lround(y * kScale)));
}

constexpr size_t kNormalTableSize = 4096;

// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
double normalQuantile(double p) {
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    if (p < 0.02425) {
        const double q = std::sqrt(-2 * std::log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425)
        return -normalQuantile(1 - p);
    const double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// Pixel noise draws from 4096 equiprobable normal values: one table lookup per value instead of
// a log, a sqrt and a cosine (sloppy renders were 4x slower than clean ones with Box-Muller),
// and the table, rounded to float, is the same wherever libm differs in its last bit.
const std::array<float, kNormalTableSize>& normalTable() {
    static const std::array<float, kNormalTableSize> kTable = [] {
        std::array<float, kNormalTableSize> t{};
        for (size_t i = 0; i < t.size(); ++i)
            t[i] = static_cast<float>(normalQuantile((i + 0.5) / kNormalTableSize));
        return t;
    }();
    return kTable;
}

// A smooth achromatic pattern: a coarse random grid of grey offsets, upsampled bicubically.
void addTexture(cv::Mat& rgb, Rng& rng) {
    cv::Mat coarse(5, 5, CV_32F);
    for (int y = 0; y < coarse.rows; ++y)
        for (int x = 0; x < coarse.cols; ++x)
            coarse.at<float>(y, x) = static_cast<float>(rng.uniformReal(-14.0, 14.0));
    cv::Mat fine;
    cv::resize(coarse, fine, rgb.size(), 0, 0, cv::INTER_CUBIC);
    for (int y = 0; y < rgb.rows; ++y)
        for (int x = 0; x < rgb.cols; ++x) {
            cv::Vec3b& p = rgb.at<cv::Vec3b>(y, x);
            const int v =
                std::clamp(p[0] + static_cast<int>(std::lround(fine.at<float>(y, x))), 0, 255);
            p = cv::Vec3b(static_cast<uchar>(v), static_cast<uchar>(v), static_cast<uchar>(v));
        }
}

void drawObject(cv::Mat& rgb, const SceneObject& o) {
    const double scale = std::min(rgb.cols, rgb.rows);
    const double cx = o.x * rgb.cols - 0.5, cy = o.y * rgb.rows - 0.5; // pixel centres
    const double r = o.radius * scale;
    if (o.shape == Shape::Circle) {
        cv::circle(rgb, fixedPoint(cx, cy), static_cast<int>(std::lround(r * kScale)),
                   rgbScalar(o.color), cv::FILLED, cv::LINE_AA, kShift);
        return;
    }
    std::vector<cv::Point> corners;
    for (const cv::Point2d& p : shapeOutline(o.shape, o.rotationDeg))
        corners.push_back(fixedPoint(cx + p.x * r, cy + p.y * r));
    cv::fillPoly(rgb, std::vector<std::vector<cv::Point>>{corners}, rgbScalar(o.color), cv::LINE_AA,
                 kShift);
}

} // namespace

std::vector<cv::Point2d> shapeOutline(Shape shape, double rotationDeg) {
    std::vector<cv::Point2d> points;
    auto ring = [&](int corners, double startDeg, double innerRatio) {
        const int n = innerRatio > 0 ? corners * 2 : corners;
        for (int i = 0; i < n; ++i) {
            const double radius = (innerRatio > 0 && i % 2 == 1) ? innerRatio : 1.0;
            const double a = (startDeg + rotationDeg + 360.0 * i / n) * kPi / 180.0;
            points.emplace_back(radius * std::cos(a), radius * std::sin(a));
        }
    };
    switch (shape) {
    case Shape::Circle:
        break;
    case Shape::Square:
        ring(4, 45.0, 0.0);
        break;
    case Shape::Triangle: // apex up
        ring(3, -90.0, 0.0);
        break;
    case Shape::Star: // five points, inner radius 0.45: clearly concave to the oracle
        ring(5, -90.0, 0.45);
        break;
    case Shape::Hexagon:
        ring(6, 0.0, 0.0);
        break;
    }
    return points;
}

void addGaussianNoise(cv::Mat& rgb, double sigma, std::uint64_t seed) {
    if (sigma <= 0.0)
        return;
    const std::array<float, kNormalTableSize>& table = normalTable();
    Rng rng(mixSeed(seed, 0x6e6f697365ULL));
    std::uint64_t bits = 0;
    int left = 0;
    for (int y = 0; y < rgb.rows; ++y) {
        uchar* row = rgb.ptr<uchar>(y);
        for (int x = 0; x < rgb.cols * 3; ++x) {
            if (left == 0) { // five 12-bit indices per 64-bit draw
                bits = rng.next();
                left = 5;
            }
            const float z = table[bits & (kNormalTableSize - 1)];
            bits >>= 12;
            --left;
            row[x] = cv::saturate_cast<uchar>(row[x] + static_cast<float>(sigma) * z);
        }
    }
}

void blurImage(cv::Mat& rgb, double sigmaPixels) {
    if (sigmaPixels > 0.0)
        cv::GaussianBlur(rgb, rgb, cv::Size(0, 0), sigmaPixels, sigmaPixels, cv::BORDER_REFLECT);
}

cv::Mat render(const Scene& scene, const RenderOptions& options) {
    return renderClip(scene, options, 1).front();
}

std::vector<cv::Mat> renderClip(const Scene& scene, const RenderOptions& options, int frameCount) {
    if (options.width < 8 || options.height < 8 || options.width > 8192 || options.height > 8192)
        throw Error(ErrorKind::InvalidArgument,
                    "ShapeWorld render size " + std::to_string(options.width) + "x" +
                        std::to_string(options.height) + " is outside 8..8192");
    if (frameCount < 1)
        throw Error(ErrorKind::InvalidArgument, "ShapeWorld clips need at least one frame");
    Rng rng(mixSeed(options.seed, 0x72656e646572ULL));
    const uchar grey = static_cast<uchar>(std::clamp(scene.backgroundGrey, 0, 255));
    cv::Mat background(options.height, options.width, CV_8UC3, cv::Scalar(grey, grey, grey));
    if (options.texture)
        addTexture(background, rng);
    const double blur = options.blurSigma * std::min(options.width, options.height) / 64.0;
    std::vector<cv::Mat> frames;
    for (int f = 0; f < frameCount; ++f) {
        cv::Mat rgb = background.clone();
        for (const SceneObject& o : scene.objects)
            drawObject(rgb, objectAt(scene, o, f, frameCount));
        blurImage(rgb, blur);
        addGaussianNoise(rgb, options.noiseSigma, mixSeed(options.seed, std::uint64_t(f)));
        frames.push_back(std::move(rgb));
    }
    return frames;
}

} // namespace rd::synth
