#include "fixtures.h"

#include <opencv2/imgcodecs.hpp>

#include <fstream>
#include <random>
#include <stdexcept>

#include <unistd.h>

namespace rd::test {
namespace fs = std::filesystem;

ScratchDir::ScratchDir() {
    static int counter = 0;
    std::random_device random;
    m_path =
        fs::temp_directory_path() / ("rd-test-" + std::to_string(::getpid()) + "-" +
                                     std::to_string(counter++) + "-" + std::to_string(random()));
    fs::create_directories(m_path);
}

ScratchDir::~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
}

void writeImage(const fs::path& path, int seed, int width, int height) {
    fs::create_directories(path.parent_path());
    std::mt19937 rng(static_cast<unsigned>(seed));
    cv::Mat image(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.at<cv::Vec3b>(y, x) = cv::Vec3b(rng() & 255, rng() & 255, rng() & 255);
    if (!cv::imwrite(path.string(), image))
        throw std::runtime_error("cannot write fixture image " + path.string());
}

void writeText(const fs::path& path, const std::string& text) {
    if (!path.parent_path().empty())
        fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
}

} // namespace rd::test
