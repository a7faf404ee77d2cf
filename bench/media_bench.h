// `rdance bench media`: decode throughput against the ffmpeg CLI on the same clip and thread
// count, latency to sample 8 frames, and image load + preprocess throughput.
#pragma once

#include <nlohmann/json.hpp>

namespace rd::bench {

struct MediaBenchOptions {
    int threads = 0;         // decoder threads for both sides; 0 = one per core
    int repeats = 5;         // timed runs per figure (the median is reported)
    int keyframeSeconds = 0; // GOP of the test clip in seconds; 0 = x264's default (250 frames)
    int images = 100;        // images for the load + preprocess figure
};

nlohmann::json runMediaBench(const MediaBenchOptions& options);

} // namespace rd::bench
