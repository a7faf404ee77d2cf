// A ReFL run's Best-of-N references (paper §3.3.1): computed once with the SFT generator and kept
// in the run's out folder (references.safetensors) with what they were computed from, so a
// resumed or retried run compares against the same images and a changed spec never reuses stale
// ones.
//
// Usage:
//   at::Tensor refs = storedReferences(spec, out, sftGenerator, reward, prompts, sink);
#pragma once

#include "refl/refl_spec.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <string>
#include <vector>

namespace rd::diffusion {
class TextToImage;
}
namespace rd::jobs {
class EventSink;
}

namespace rd::refl {

class ImageReward;

// [P, k, 3, S, S] in [-1, 1]: the file's images, or new ones ("references" events report the
// progress). Throws rd::Error naming the file when it was made for another spec.
at::Tensor storedReferences(const ReflSpec& spec, const std::filesystem::path& out,
                            diffusion::TextToImage& sft, ImageReward& reward,
                            const std::vector<std::string>& prompts, jobs::EventSink& sink);

} // namespace rd::refl
