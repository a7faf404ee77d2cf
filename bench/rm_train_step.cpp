#include "rm_train_step.h"

#include "model/model_config.h"
#include "reward/losses.h"
#include "timing.h"

#include <torch/torch.h>

namespace rd::bench {

namespace {

constexpr int kPromptText = 60; // text tokens around the two images, as in an RM prompt
constexpr int kAnswer = 40;     // answer + rationale tokens

// One pair in both orders: [text, image 1, text, image 2, text, answer], the answer the target.
std::vector<reward::TrainingRow> benchRows(const reward::RewardModel& rm, int pairs) {
    const int64_t k = rm.vlm()->config().tokensPerTile();
    const int64_t vocab = rm.tokenizer().vocabSize();
    std::vector<reward::TrainingRow> rows;
    for (int p = 0; p < pairs; ++p)
        for (int order = 0; order < 2; ++order) {
            reward::TrainingRow row;
            auto text = [&](int n) {
                const auto ids = torch::randint(20, vocab, {n}, torch::kLong);
                for (int i = 0; i < n; ++i)
                    row.ids.push_back(ids[i].item<int64_t>());
            };
            text(24);
            row.ids.insert(row.ids.end(), k, rm.imageContextId());
            text(8);
            row.ids.insert(row.ids.end(), k, rm.imageContextId());
            text(kPromptText - 32);
            row.answerPosition = static_cast<int64_t>(row.ids.size()) - 1;
            for (int i = 0; i < kAnswer; ++i) {
                row.targetPositions.push_back(static_cast<int64_t>(row.ids.size()) - 1);
                row.targetWeights.push_back(1.0f);
                text(1);
            }
            const store::RowId a = 2 * p + 1, b = 2 * p + 2;
            row.images =
                order == 0 ? std::vector<store::RowId>{a, b} : std::vector<store::RowId>{b, a};
            rows.push_back(std::move(row));
        }
    return rows;
}

} // namespace

TrainStepFixture::TrainStepFixture(const std::string& preset,
                                   const std::filesystem::path& tokenizer, int pairs) {
    torch::manual_seed(3);
    m_rm = reward::RewardModel::create(model::presetConfig(preset), tokenizer, {}, torch::kCPU);
    m_rm->vlm()->train();
    m_rows = benchRows(*m_rm, pairs);
    for (int i = 1; i <= 2 * pairs; ++i)
        m_images[i] = torch::randn({1, 3, m_rm->imageSize(), m_rm->imageSize()});
    m_optimizer = std::make_unique<torch::optim::AdamW>(
        m_rm->parameters(), torch::optim::AdamWOptions(1e-4).weight_decay(0.01));
}

TrainStepFixture::~TrainStepFixture() = default;

double TrainStepFixture::secondsPerStep(int repeats) {
    std::vector<double> times;
    for (int r = 0; r <= repeats; ++r) { // the first step warms up
        const auto start = Clock::now();
        m_optimizer->zero_grad();
        const reward::BatchOutput out = reward::runRows(*m_rm, m_rows, m_images);
        const at::Tensor loss =
            reward::tokenCrossEntropy(out.targetLogits, out.targets, out.targetWeights);
        loss.backward();
        torch::nn::utils::clip_grad_norm_(m_rm->parameters(), 1.0);
        m_optimizer->step();
        loss.item<double>();
        if (r)
            times.push_back(secondsSince(start));
    }
    return median(times);
}

} // namespace rd::bench
