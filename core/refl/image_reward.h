// A frozen reward model as a differentiable reward for generated images (ReFL's signal, paper
// §3.3.1): generator images in [-1, 1] are resized and normalised as the RM reads images, put in
// the RM prompt of its paradigm, and scored - P("yes") at the answer position for the generative
// paradigms (Eq. 2), the head's scalar for the regressive one. Gradients flow to the images; the
// RM's own weights never change.
//
// Usage:
//   ImageReward reward(RewardModel::load("models/rm-s", torch::kCPU));
//   at::Tensor r = reward.score(images, prompts, references);   // [B]; references: pairwise only
#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace rd::reward {
class RewardModel;
}

namespace rd::refl {

class ImageReward {
public:
    explicit ImageReward(std::unique_ptr<reward::RewardModel> model);
    static ImageReward load(const std::filesystem::path& folder);
    ~ImageReward();
    ImageReward(ImageReward&&) noexcept;

    // True for the pairwise paradigm: score() then needs a reference per image.
    bool needsReference() const;
    std::string paradigm() const; // "pairwise", "pointwise", "regressive"
    std::int64_t parameterCount() const;

    // images, references: [B, 3, S, S] in [-1, 1] (references ignored unless pairwise).
    // Returns [B]: the reward of each image, differentiable with respect to `images`.
    at::Tensor score(const at::Tensor& images, const std::vector<std::string>& prompts,
                     const at::Tensor& references = {});

private:
    at::Tensor toModelPixels(const at::Tensor& images) const;
    std::unique_ptr<reward::RewardModel> m_model;
};

} // namespace rd::refl
