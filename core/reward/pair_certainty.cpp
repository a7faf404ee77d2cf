#include "reward/pair_certainty.h"

#include "common/error.h"
#include "reward/pair_dataset.h"
#include "reward/reward_model.h"
#include "reward/rm_evaluation.h"
#include "store/workspace.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace rd::reward {

namespace {

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

} // namespace

std::map<store::RowId, double> pairCertainty(store::Workspace& ws,
                                             const std::filesystem::path& folder,
                                             const std::string& split, int batchSize) {
    auto rm = RewardModel::loadAs(folder, readRewardSpec(folder), torch::kCPU);
    PairDatasetOptions options;
    options.split = split;
    options.withRationales = false;
    options.keepUnlabelled = true;
    const PairDataset data = loadPairDataset(ws, *rm, options);
    if (data.pairs.empty())
        throw Error(ErrorKind::InvalidArgument,
                    ws.folder().string() + ": no image pairs in split '" + split + "' to score");
    const Paradigm paradigm = rm->spec().paradigm;
    const bool twoOrders = paradigm == Paradigm::PairwiseGenerative && rm->spec().withReference;
    std::map<store::RowId, double> certainty;
    for (const PairScore& s : scorePairDataset(*rm, data, data.pairs, batchSize)) {
        double pB = 0.5;
        bool inconsistent = false;
        if (twoOrders) {
            // decisionB: image 2 = B better (order AB); decisionA: image 2 = A better (order BA).
            const double yesB = s.decisionB.value_or(s.rewardB);
            const double yesA = s.decisionA.value_or(s.rewardA);
            pB = 0.5 * (yesB + 1.0 - yesA);
            inconsistent = (yesB > 0.5) == (yesA > 0.5);
        } else if (paradigm == Paradigm::PointwiseRegressive) {
            pB = sigmoid(s.rewardB - s.rewardA);
        } else {
            // Pointwise generative: how sure it is that each image meets the prompt; the pair is
            // as uncertain as its less certain image. (P(B better) near 0.5 picked ties: two
            // images both clearly right or both clearly wrong, which a pointwise RM does not
            // train on - 53% of the 600 pairs measured in docs/RM_TRAINING.md.)
            const double yesA = s.decisionA.value_or(s.rewardA);
            const double yesB = s.decisionB.value_or(s.rewardB);
            certainty[s.pairId] = std::min(std::abs(2.0 * yesA - 1.0), std::abs(2.0 * yesB - 1.0));
            continue;
        }
        certainty[s.pairId] = std::abs(2.0 * pB - 1.0) - (inconsistent ? 1.0 : 0.0);
    }
    return certainty;
}

} // namespace rd::reward
