// Encodes RGB frames to an MP4 file with FFmpeg's libraries: H.264 (libx264) where the encoder
// exists, MPEG-4 Part 2 otherwise. The file appears atomically when finish() returns; a writer
// destroyed before finish() leaves nothing behind.
//
// Usage:
//   rd::media::VideoWriter writer("clip.mp4", 256, 256, {8.0});
//   for (const cv::Mat& frame : frames) writer.write(frame);   // CV_8UC3 RGB, 256x256
//   writer.finish();
#pragma once

#include <opencv2/core/mat.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace rd::media {

struct VideoWriterOptions {
    double fps = 8.0;
    int quality = 20;  // H.264 CRF (lower is better); MPEG-4 uses an equivalent qscale
    std::string codec; // "h264", "mpeg4", or empty: H.264 if available, else MPEG-4
};

class VideoWriter {
public:
    // Odd sizes are encoded at the next even size (4:2:0 chroma needs even dimensions): the
    // frame is padded by repeating its last row/column.
    VideoWriter(const std::filesystem::path& path, int width, int height,
                const VideoWriterOptions& options = {});
    ~VideoWriter();
    VideoWriter(const VideoWriter&) = delete;
    VideoWriter& operator=(const VideoWriter&) = delete;

    void write(const cv::Mat& rgb);
    void finish();
    std::string codecName() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace rd::media
