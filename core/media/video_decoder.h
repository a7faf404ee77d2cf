// Decodes a video with FFmpeg's libraries (the codec's own threads): sequential frames,
// frame-accurate seeks (to the keyframe before, then decode forward), uniform sampling of N
// frames for the reward model (the paper's video RM sees sampled frames) and thumbnails.
// Frames come out as 8-bit RGB, turned upright by the stream's display rotation.
//
// Usage:
//   VideoDecoder video("clip.mp4");
//   std::vector<VideoFrame> frames = video.sampleUniform(8);
//   VideoFrame f = video.seekToFrame(120);
// Frame index n is the n-th frame in presentation order (timestamps sorted), so variable
// frame rate clips index exactly too. One decoder per thread.
#pragma once

#include "media/media_info.h"

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace rd::media {

struct VideoFrame {
    cv::Mat rgb; // CV_8UC3, upright
    std::int64_t index = 0;
    double timeS = 0.0; // presentation time from the start of the stream
};

struct VideoDecoderOptions {
    int threads = 0;           // codec threads; 0 = one per core
    bool applyRotation = true; // rotate frames by the display matrix (phone clips)
};

class VideoDecoder {
public:
    // Throws rd::Error naming the file: missing, not a video, no decoder for its codec.
    explicit VideoDecoder(const std::filesystem::path& path,
                          const VideoDecoderOptions& options = {});
    ~VideoDecoder();
    VideoDecoder(const VideoDecoder&) = delete;
    VideoDecoder& operator=(const VideoDecoder&) = delete;

    // Probe facts; frames is exact (counted from the packets) once frameCount() was called.
    const MediaInfo& info() const;
    std::int64_t frameCount();

    // The next frame in presentation order; false at the end. With out == nullptr the frame is
    // decoded but not converted to RGB (what a throughput benchmark of the decoder measures).
    bool next(VideoFrame* out);

    // Throws rd::Error(InvalidArgument) for an index outside [0, frameCount()), and
    // rd::Error(Format) when the data for that frame is missing (a truncated file).
    VideoFrame seekToFrame(std::int64_t index);
    // The frame shown at that time (the last one starting at or before it).
    VideoFrame seekToTime(double seconds);

    // The frames at uniformFrameIndices(frameCount(), count), in order. Decodes forward when
    // the next target is in the same group of pictures, seeks otherwise.
    std::vector<VideoFrame> sampleUniform(int count);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// InternVL's video sampling (INTERNVL2.md §3): seg = (frames - 1) / N,
// index_i = int(seg / 2 + round(seg * i)): the middle of N equal segments.
std::vector<std::int64_t> uniformFrameIndices(std::int64_t frameCount, int count);

// A frame near 10% of the clip (skipping fades from black), scaled so its longer side is
// maxSide. Images are accepted too (scaled the same way).
cv::Mat thumbnail(const std::filesystem::path& path, int maxSide);

} // namespace rd::media
