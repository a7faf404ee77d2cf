// An LRU cache of decoded frames over one video, for the studio's scrubbing: stepping back and
// forth over recent frames costs no decoding. Thread-safe (one mutex; decoding happens under it).
//
// Usage: FrameCache cache("clip.mp4", 64); cv::Mat f = cache.frame(42);
#pragma once

#include "media/video_decoder.h"

#include <list>
#include <mutex>
#include <unordered_map>

namespace rd::media {

class FrameCache {
public:
    FrameCache(const std::filesystem::path& path, std::size_t capacityFrames);

    // The frame at index (upright RGB). Throws rd::Error as VideoDecoder::seekToFrame does.
    cv::Mat frame(std::int64_t index);
    std::int64_t frameCount();
    const MediaInfo& info() const { return m_decoder.info(); }

    std::size_t hits() const { return m_hits; }
    std::size_t misses() const { return m_misses; }

private:
    std::mutex m_mutex;
    VideoDecoder m_decoder;
    std::size_t m_capacity;
    std::list<std::pair<std::int64_t, cv::Mat>> m_recent; // most recent first
    std::unordered_map<std::int64_t, std::list<std::pair<std::int64_t, cv::Mat>>::iterator> m_where;
    std::size_t m_hits = 0, m_misses = 0;
};

} // namespace rd::media
