#include "refl/image_reward.h"

#include "common/error.h"
#include "media/image_tensor.h"
#include "model/model_config.h"
#include "reward/reward_model.h"
#include "reward/reward_spec.h"
#include "reward/training_rows.h"

#include <torch/torch.h>

namespace rd::refl {

namespace {

// A differentiable reward is read at the answer's first token; the paper uses the
// decision-first format for feedback (§3.2.1) for exactly this reason.
void requireDecisionFirst(const reward::RewardModel& rm, const std::string& name) {
    if (reward::decidesAfterReasoning(rm.spec()))
        throw Error(ErrorKind::Unsupported,
                    name + " answers reasoning-first (reward.json: answer_order), so its reward "
                           "comes after a written rationale and has no gradient; ReFL, Best-of-N "
                           "and search need a decision-first RM (\"cot\": \"decision_first\" or "
                           "\"both\")");
}

} // namespace

ImageReward::ImageReward(std::unique_ptr<reward::RewardModel> model) : m_model(std::move(model)) {
    requireDecisionFirst(*m_model, "the reward model");
    m_model->vlm()->eval();
    for (at::Tensor& p : m_model->parameters())
        p.set_requires_grad(false);
}

ImageReward ImageReward::load(const std::filesystem::path& folder) {
    auto model = reward::RewardModel::load(folder, torch::kCPU);
    requireDecisionFirst(*model, folder.string());
    return ImageReward(std::move(model));
}

ImageReward::~ImageReward() = default;
ImageReward::ImageReward(ImageReward&&) noexcept = default;

bool ImageReward::needsReference() const {
    return m_model->spec().paradigm == reward::Paradigm::PairwiseGenerative &&
           m_model->spec().withReference;
}

std::string ImageReward::paradigm() const {
    return reward::paradigmName(m_model->spec().paradigm);
}

std::int64_t ImageReward::parameterCount() const {
    return model::countParameters(m_model->vlm()->config()).total();
}

at::Tensor ImageReward::toModelPixels(const at::Tensor& images) const {
    namespace F = torch::nn::functional;
    const int size = m_model->imageSize();
    at::Tensor x = (images.to(m_model->device(), torch::kFloat32) + 1.0) * 0.5; // [0, 1]
    if (x.size(2) != size || x.size(3) != size)
        x = F::interpolate(x, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{size, size})
                                  .mode(torch::kBilinear)
                                  .align_corners(false)
                                  .antialias(true));
    const auto& norm = media::kImageNetNorm;
    const at::Tensor mean = torch::tensor({norm.mean[0], norm.mean[1], norm.mean[2]}, x.options());
    const at::Tensor std = torch::tensor({norm.std[0], norm.std[1], norm.std[2]}, x.options());
    return (x - mean.view({1, 3, 1, 1})) / std.view({1, 3, 1, 1});
}

at::Tensor ImageReward::score(const at::Tensor& images, const std::vector<std::string>& prompts,
                              const at::Tensor& references) {
    const int64_t b = images.size(0);
    if (static_cast<int64_t>(prompts.size()) != b)
        throw Error(ErrorKind::InvalidArgument, "one prompt per image");
    const bool pairwise = needsReference();
    if (pairwise && (!references.defined() || references.sizes() != images.sizes()))
        throw Error(ErrorKind::InvalidArgument,
                    "the pairwise reward model needs one reference image per image");
    if (m_model->spec().maxTiles > 1)
        throw Error(ErrorKind::Unsupported,
                    "ReFL reads one tile per image; this reward model tiles its images");
    // Rows name their images by id: here negative ids for the batch's own tensors.
    const at::Tensor pixels = toModelPixels(images);
    const at::Tensor referencePixels = pairwise ? toModelPixels(references) : at::Tensor();
    std::map<store::RowId, at::Tensor> tensors;
    std::vector<reward::TrainingRow> rows;
    const reward::RowBuilder builder(*m_model);
    for (int64_t i = 0; i < b; ++i) {
        const store::RowId candidate = -(2 * i + 1), reference = -(2 * i + 2);
        tensors[candidate] = pixels.slice(0, i, i + 1);
        std::vector<store::RowId> ids{candidate};
        if (pairwise) {
            tensors[reference] = referencePixels.slice(0, i, i + 1);
            ids = {reference, candidate}; // image 1 is the reference, image 2 the candidate
        }
        rows.push_back(builder.rewardPrompt(prompts[static_cast<size_t>(i)], ids));
    }
    const at::Tensor hidden = reward::runRows(*m_model, rows, tensors).answerHidden;
    if (m_model->spec().paradigm == reward::Paradigm::PointwiseRegressive)
        return m_model->head()->forward(hidden).squeeze(-1);
    const at::Tensor logits = m_model->vlm()->logits(hidden).to(torch::kFloat32);
    return torch::softmax(logits, -1).select(1, m_model->yesId()); // Eq. 2: r = P("yes")
}

} // namespace rd::refl
