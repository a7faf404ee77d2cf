#include "reward/decision_hits.h"

#include "reward/reward_model.h"

#include <torch/torch.h>

#include <algorithm>

namespace rd::reward {

std::vector<bool> decisionHits(const std::vector<TrainingRow>& rows, const at::Tensor& targetLogits,
                               RewardModel& rm) {
    int64_t offset = 0;
    std::vector<int64_t> firsts;
    std::vector<int> truth;
    for (const TrainingRow& r : rows) {
        if (r.decision >= 0) {
            firsts.push_back(offset);
            truth.push_back(r.decision);
        }
        offset += static_cast<int64_t>(r.targetPositions.size());
    }
    if (firsts.empty())
        return {};
    const at::Tensor at = targetLogits.detach().index_select(
        0, torch::tensor(firsts, torch::kLong).to(targetLogits.device()));
    const at::Tensor saysYes =
        (at.select(1, rm.yesId()) > at.select(1, rm.noId())).to(torch::kCPU).contiguous();
    std::vector<bool> hits;
    for (size_t i = 0; i < truth.size(); ++i)
        hits.push_back(saysYes[static_cast<int64_t>(i)].item<bool>() == (truth[i] == 1));
    return hits;
}

void countDecisions(const std::vector<TrainingRow>& rows, const at::Tensor& targetLogits,
                    RewardModel& rm, StepLoss& out) {
    const std::vector<bool> hits = decisionHits(rows, targetLogits, rm);
    out.correct += static_cast<int>(std::count(hits.begin(), hits.end(), true));
    out.judged += static_cast<int>(hits.size());
}

} // namespace rd::reward
