// RM accuracy on preference pairs (`rdance rm eval`, and validation during training):
// - accuracy: a pair is right when the preferred image gets the higher reward (pairwise
//   generative: P(yes | A, B) against P(yes | B, A), paper Eq. 2; pointwise: r(B) against r(A));
//   ties are reported apart (their count and the mean reward gap the model leaves between them);
// - both-order consistency (pairwise with a reference): the two orders name the same winner;
// - expected calibration error of P(yes) (renormalised over yes/no) against the true answer,
//   10 equal-width bins, for the generative paradigms;
// - accuracy per prompt category.
#pragma once

#include "reward/pair_dataset.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <vector>

namespace rd::reward {

class RewardModel;

struct PairScore {
    store::RowId pairId = 0;
    double rewardA = 0.0; // pairwise: P(yes | image 1 = B, image 2 = A); else r(A)
    double rewardB = 0.0; // pairwise: P(yes | image 1 = A, image 2 = B); else r(B)
    // Renormalised P(yes) per scored row with its true answer (generative paradigms).
    std::vector<std::pair<double, bool>> calibration;
    // The decision of each order, P(yes) / (P(yes) + P(no)) (generative paradigms). The reward
    // itself is P(yes) over the whole vocabulary (Eq. 2), which a model trained on
    // reasoning-first answers keeps below 0.5 (the first token may start the reasoning), so a
    // yes/no reading needs the renormalised value.
    std::optional<double> decisionA, decisionB;
};

struct RmEvalReport {
    int pairs = 0;
    int decided = 0; // pairs with a winner
    int correct = 0;
    double accuracy = 0.0;
    int ties = 0;
    double tieMeanGap = 0.0;
    // Pairwise: of the pairs with a winner, the share whose two orders get opposite decisions.
    std::optional<double> consistency;
    std::optional<double> calibrationError;
    std::map<std::string, std::pair<int, int>> byCategory; // correct, decided

    nlohmann::json toJson() const;
};

std::vector<PairScore> scorePairDataset(RewardModel& rm, const PairDataset& data,
                                        const std::vector<PairExample>& pairs, int batchSize);
RmEvalReport summarize(const std::vector<PairExample>& pairs, const std::vector<PairScore>& scores,
                       bool pairwiseWithReference);
double expectedCalibrationError(const std::vector<std::pair<double, bool>>& predictions,
                                int bins = 10);

} // namespace rd::reward
