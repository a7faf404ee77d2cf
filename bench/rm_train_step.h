// The reward-model training step the training benchmarks time (`bench rm-train` against
// PyTorch, `bench contention` beside a busy neighbour): a pairwise generative batch in both
// orders, images encoded once, CE over the answer tokens, gradient clipping and AdamW.
#pragma once

#include "reward/reward_model.h"
#include "reward/training_rows.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace torch::optim {
class AdamW;
}

namespace rd::bench {

// Everything a timed training step needs: a fresh model of a preset (seed 3, training mode) over
// the tokenizer, `pairs` bench rows, their random images and an AdamW.
class TrainStepFixture {
public:
    TrainStepFixture(const std::string& preset, const std::filesystem::path& tokenizer, int pairs);
    ~TrainStepFixture();

    // The median seconds of `repeats` training steps on the rows (after one warm-up step).
    double secondsPerStep(int repeats);

    reward::RewardModel& model() { return *m_rm; }
    const std::vector<reward::TrainingRow>& rows() const { return m_rows; }
    const std::map<store::RowId, at::Tensor>& images() const { return m_images; }

private:
    std::unique_ptr<reward::RewardModel> m_rm;
    std::vector<reward::TrainingRow> m_rows;
    std::map<store::RowId, at::Tensor> m_images;
    std::unique_ptr<torch::optim::AdamW> m_optimizer;
};

} // namespace rd::bench
