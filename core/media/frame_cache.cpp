#include "media/frame_cache.h"

namespace rd::media {

FrameCache::FrameCache(const std::filesystem::path& path, std::size_t capacityFrames)
    : m_decoder(path), m_capacity(std::max<std::size_t>(1, capacityFrames)) {}

cv::Mat FrameCache::frame(std::int64_t index) {
    std::lock_guard<std::mutex> lock(m_mutex);
    auto found = m_where.find(index);
    if (found != m_where.end()) {
        ++m_hits;
        m_recent.splice(m_recent.begin(), m_recent, found->second);
        return found->second->second;
    }
    ++m_misses;
    cv::Mat rgb = m_decoder.seekToFrame(index).rgb;
    m_recent.emplace_front(index, rgb);
    m_where[index] = m_recent.begin();
    if (m_recent.size() > m_capacity) {
        m_where.erase(m_recent.back().first);
        m_recent.pop_back();
    }
    return rgb;
}

std::int64_t FrameCache::frameCount() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_decoder.frameCount();
}

} // namespace rd::media
