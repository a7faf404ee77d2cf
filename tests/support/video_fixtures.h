// Video fixtures made with Debian's ffmpeg CLI from frames the test draws itself. Frame i is a
// flat grey of level frameLevel(i) with a white marker square, so a decoded frame tells its index.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rd::test {

int frameLevel(int index);

// Writes `count` PNG frames (width x height) into folder/frame_%04d.png.
void writeLevelFrames(const std::filesystem::path& folder, int count, int width, int height);

// Encodes those frames with ffmpeg: extraArgs are the codec arguments (e.g. {"-c:v", "libx264"}).
// Throws std::runtime_error with ffmpeg's output when it fails.
void encodeFrames(const std::filesystem::path& frames, const std::filesystem::path& output, int fps,
                  const std::vector<std::string>& extraArgs);

// Runs ffmpeg with these arguments (after -y -v error); throws on failure.
void runFfmpeg(const std::vector<std::string>& args);

} // namespace rd::test
