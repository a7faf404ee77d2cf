// The oracle on files: an image is loaded, a clip decoded (frames sampled uniformly, as the
// video RM sees them), then scored like scoreImage / scoreClip.
//
// Usage:
//   OracleResult r = scoreFile(parsePrompt("a red circle moving from left to right"), "c.mp4");
#pragma once

#include "synth/oracle.h"

#include <filesystem>

namespace rd::synth {

constexpr int kOracleClipFrames = 16; // frames sampled from a clip

// Whether the file holds a clip (by content, through the media engine's probe).
bool isClipFile(const std::filesystem::path& file);

// Throws rd::Error naming the file when it cannot be read.
OracleResult scoreFile(const PromptSpec& spec, const std::filesystem::path& file,
                       int clipFrames = kOracleClipFrames);

// The oracle's detections in a file, frame by frame (no prompt needed).
Observation observeFile(const std::filesystem::path& file, int clipFrames = kOracleClipFrames);

} // namespace rd::synth
