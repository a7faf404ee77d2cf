// rd::reward::Scorer: the front door for scoring with a reward model. Plain structs in, plain
// results out (no LibTorch types), so the CLI and the studio use it alike.
//
// Pairwise generative (paper Eq. 2): reward = P("yes") at the answer position for "Is image 2
// (the candidate) better than image 1 (the reference)?", from the full-vocabulary softmax; the
// yes/no-renormalised value is reported beside it. Pointwise generative: P("yes") for one image.
// Regressive: the scalar head's value.
//
// Usage:
//   Scorer scorer = Scorer::open("models/rm-s", "cpu");
//   RewardScore s = scorer.scorePair({"two red circles", reference, candidate});
//   std::vector<RewardScore> best = scorer.scoreCandidates(prompt, reference, candidates);
#pragma once

#include <opencv2/core/mat.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace rd::reward {

class RewardModel;

struct PairToScore {
    std::string prompt;
    cv::Mat reference; // RGB; image 1 (ignored by pointwise and regressive models)
    cv::Mat candidate; // RGB; image 2
};

struct RewardScore {
    double reward = 0.0; // P("yes") for generative paradigms, the head's value otherwise
    double pYes = 0.0;   // full-vocabulary softmax at the answer position
    double pNo = 0.0;
    double pYesRenormalized = 0.0; // pYes / (pYes + pNo)
    std::string rationale;         // the greedy chain-of-thought answer, when asked for
};

struct ScorerOptions {
    int batchSize = 8;
    bool chainOfThought = false;
    int maxNewTokens = 160; // room for a two-object ShapeWorld rationale with places
};

enum class PrefixSharing { On = 1, Off };

struct PositionBiasReport {
    int pairs = 0;
    int consistent = 0;            // both orders pick the same winner
    double agreement = 0.0;        // consistent / pairs
    double meanAbsDeviation = 0.0; // mean |P(yes | a, b) + P(yes | b, a) - 1|
};

class Scorer {
public:
    explicit Scorer(std::shared_ptr<RewardModel> model, ScorerOptions options = {});
    // device: "cpu", "cuda", "cuda:1".
    static Scorer open(const std::filesystem::path& folder, const std::string& device,
                       ScorerOptions options = {});

    RewardScore scorePair(const PairToScore& pair);
    std::vector<RewardScore> scorePairs(const std::vector<PairToScore>& pairs);
    // N candidates against one reference. With prefix sharing the shared prefix (instruction,
    // prompt, reference image) is run once and its KV cache reused for every candidate; the
    // scores equal those without it.
    std::vector<RewardScore> scoreCandidates(const std::string& prompt, const cv::Mat& reference,
                                             const std::vector<cv::Mat>& candidates,
                                             PrefixSharing sharing = PrefixSharing::On);
    // Scores every pair in both orders and reports how often they agree.
    PositionBiasReport positionBias(const std::vector<PairToScore>& pairs);

    const ScorerOptions& options() const { return m_options; }
    RewardModel& model() { return *m_model; }

private:
    std::shared_ptr<RewardModel> m_model;
    ScorerOptions m_options;
};

} // namespace rd::reward
