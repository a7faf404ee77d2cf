// What a probe learns about an image or video file without keeping its pixels.
//
// Usage: MediaInfo info = rd::media::probeMedia("clip.mp4");
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace rd::media {

enum class MediaType { Image = 1, Video };

struct MediaInfo {
    MediaType type = MediaType::Image;
    std::string container; // "png", "jpeg", "mov,mp4,m4a,3gp,3g2,mj2", ...
    std::string codec;     // video codec name ("h264", ...); the image format for images
    int width = 0;         // as stored, before any display rotation
    int height = 0;
    int rotationDegrees = 0; // display rotation from the stream's side data (0, 90, 180, 270)
    double fps = 0.0;        // average frame rate; 0 for images
    bool variableFrameRate = false;
    std::int64_t frames = 1;
    double durationS = 0.0;
};

// Decides image or video from the file's content (not its extension) and probes it.
// Throws rd::Error(NotFound / Format / Unsupported) naming the file and the cause.
MediaInfo probeMedia(const std::filesystem::path& path);

MediaInfo probeImage(const std::filesystem::path& path);
MediaInfo probeVideo(const std::filesystem::path& path);

} // namespace rd::media
