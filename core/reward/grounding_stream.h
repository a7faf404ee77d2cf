// The grounding stage's endless stream of scenes (issue "Reward models that really judge"): at
// every position a fresh ShapeWorld prompt of any category, an image drawn for it by the clean
// or the sloppy stand-in generator (so near misses, jitter, blur and noise appear as they do in
// the workspace's pairs), and one question with a direct answer (synth/direct_questions.h).
// Nothing is read from a workspace and no image is seen twice: the same seed gives the same
// stream, position by position, so a resumed run reads what an uninterrupted one would.
//
// Usage:
//   GroundingStream stream(seed, synth::Split::Train);
//   StreamItem item = stream.item(position, synth::DirectKind::Where);
//   cv::Mat rgb = stream.render(item, 64);
#pragma once

#include "synth/direct_questions.h"
#include "synth/toy_generator.h"

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>

namespace rd::reward {

struct StreamItem {
    synth::PromptSpec spec;         // the prompt the image was drawn for
    synth::GeneratedImage image;    // scene and look
    synth::DirectQuestion question; // about what the image shows
    int draw = 0; // which of the position's scenes: items with equal (position, draw) share it
};

class GroundingStream {
public:
    GroundingStream(std::uint64_t seed, synth::Split split);

    // The item at a position of the stream with a question of this kind: the first of a few
    // scenes drawn for the position that can carry the kind ("which" and "relation" need two
    // single objects in a clear direction), else the last one with its caption.
    StreamItem item(std::uint64_t position, synth::DirectKind kind) const;
    // The image at size x size pixels (RGB, CV_8UC3). Draw at a multiple of the model's input
    // size and let the model's preprocessing scale it down, as the workspace's 256 px images are.
    static cv::Mat render(const StreamItem& item, int size);

private:
    std::uint64_t m_seed;
    synth::Split m_split;
};

// Question and answer texts of the stream's every kind, for training a tokenizer.
std::vector<std::string> streamTexts(std::uint64_t seed, int items);

} // namespace rd::reward
