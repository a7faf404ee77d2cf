// The images a generator's SFT learns from, as (prompt, image tensor) examples:
// - "renders": each visit of a training prompt draws a fresh clean ShapeWorld scene for it, from a
//   seed derived from (run seed, position in the data stream), so the data are endless and a
//   resumed run sees what an uninterrupted one would;
// - "generations": the stored images of the chosen generators for the split's prompts, loaded
//   and resized once.
#pragma once

#include "diffusion/gen_train_spec.h"
#include "diffusion/shapeworld_prompts.h"

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

namespace rd::store {
class Workspace;
}

namespace rd::diffusion {

struct SftExample {
    std::string prompt;
    at::Tensor image; // [3, S, S] float in [-1, 1]
};

class SftData {
public:
    // Throws rd::Error naming the workspace when the split has nothing to learn from.
    SftData(store::Workspace& ws, const GenTrainSpec& spec, int imageSize);
    size_t units() const;
    SftExample example(size_t unit, std::uint64_t drawSeed) const;
    std::vector<std::string> prompts() const; // every prompt text, for the tokenizer
    nlohmann::json describe() const;

private:
    bool m_renders = true;
    int m_imageSize = 64;
    std::vector<WorldPrompt> m_prompts;     // renders
    std::vector<std::string> m_storedText;  // generations: the prompt of each image
    std::vector<at::Tensor> m_storedImages; // generations
    int m_skipped = 0;
};

} // namespace rd::diffusion
