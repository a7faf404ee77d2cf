#include "reward/rm_evaluation.h"

#include "reward/reasoned_scores.h"
#include "reward/reward_model.h"
#include "reward/training_rows.h"

#include <torch/torch.h>

#include <cmath>

namespace rd::reward {

namespace {

struct Probe {
    size_t pair;
    bool forB; // the row scores image B (as the candidate)
    bool truthYes;
};

// Generous for a ShapeWorld rationale: decoding stops once every row of a batch has answered.
constexpr int kRationaleTokens = 160;

void record(PairScore& s, const Probe& probe, double value, std::optional<double> decision) {
    (probe.forB ? s.rewardB : s.rewardA) = value;
    if (decision) {
        s.calibration.push_back({*decision, probe.truthYes});
        (probe.forB ? s.decisionB : s.decisionA) = *decision;
    }
}

// A reasoning-first model writes its rationale before it decides (reward/reasoned_scores.h).
void scoreByReasoning(RewardModel& rm, const PairDataset& data,
                      const std::vector<TrainingRow>& rows, const std::vector<Probe>& probes,
                      int batchSize, std::vector<PairScore>& scores) {
    std::vector<ReasoningRow> reasoning;
    for (const TrainingRow& r : rows) {
        ReasoningRow row{r.ids, {}};
        for (store::RowId m : r.images)
            row.tiles.push_back(data.image(m));
        reasoning.push_back(std::move(row));
    }
    const auto reasoned = reasonThenAnswer(rm, reasoning, 2 * batchSize, kRationaleTokens);
    for (size_t i = 0; i < probes.size(); ++i) {
        record(scores[probes[i].pair], probes[i], reasoned[i].pYes, reasoned[i].pYesRenormalized);
    }
}

} // namespace

std::vector<PairScore> scorePairDataset(RewardModel& rm, const PairDataset& data,
                                        const std::vector<PairExample>& pairs, int batchSize) {
    c10::InferenceMode inference;
    const bool wasTraining = rm.vlm()->is_training();
    rm.vlm()->eval();
    const Paradigm paradigm = rm.spec().paradigm;
    const bool withReference = paradigm == Paradigm::PairwiseGenerative && rm.spec().withReference;
    RowBuilder builder(rm);
    std::vector<PairScore> scores(pairs.size());
    std::vector<TrainingRow> rows;
    std::vector<Probe> probes;
    auto flush = [&] {
        if (rows.empty())
            return;
        const BatchOutput out = runRows(rm, rows, data.images);
        at::Tensor values, renormalised;
        if (paradigm == Paradigm::PointwiseRegressive) {
            values = rm.head()->forward(out.answerHidden).squeeze(-1);
        } else {
            const at::Tensor probs =
                torch::softmax(rm.vlm()->logits(out.answerHidden).to(torch::kFloat32), -1);
            values = probs.select(1, rm.yesId());
            renormalised = values / (values + probs.select(1, rm.noId())).clamp_min(1e-12);
        }
        values = values.to(torch::kCPU).to(torch::kFloat64).contiguous();
        for (size_t i = 0; i < probes.size(); ++i) {
            const auto at = static_cast<int64_t>(i);
            record(scores[probes[i].pair], probes[i], values[at].item<double>(),
                   renormalised.defined() ? std::optional(renormalised[at].item<double>())
                                          : std::nullopt);
        }
        rows.clear();
        probes.clear();
    };
    const bool reasoningFirst = decidesAfterReasoning(rm.spec());
    for (size_t i = 0; i < pairs.size(); ++i) {
        const PairExample& p = pairs[i];
        scores[i].pairId = p.pairId;
        const bool tie = p.preferred == store::Preference::Tie;
        if (withReference) {
            rows.push_back(builder.rewardPrompt(p.prompt, {p.mediaA, p.mediaB}));
            probes.push_back({i, true, p.ab.yes});
            rows.push_back(builder.rewardPrompt(p.prompt, {p.mediaB, p.mediaA}));
            probes.push_back({i, false, p.ba.yes});
        } else {
            rows.push_back(builder.rewardPrompt(p.prompt, {p.mediaB}));
            probes.push_back({i, true, !tie && p.preferred == store::Preference::B});
            rows.push_back(builder.rewardPrompt(p.prompt, {p.mediaA}));
            probes.push_back({i, false, !tie && p.preferred == store::Preference::A});
        }
        if (!reasoningFirst && static_cast<int>(rows.size()) >= 2 * batchSize)
            flush();
    }
    if (reasoningFirst) // all rows at once, so rows of one length share batches
        scoreByReasoning(rm, data, rows, probes, batchSize, scores);
    else
        flush();
    if (wasTraining)
        rm.vlm()->train();
    return scores;
}

double expectedCalibrationError(const std::vector<std::pair<double, bool>>& predictions, int bins) {
    if (predictions.empty())
        return 0.0;
    std::vector<double> confidence(static_cast<size_t>(bins)), hits(static_cast<size_t>(bins));
    std::vector<int> counts(static_cast<size_t>(bins));
    for (const auto& [p, truth] : predictions) {
        const auto bin = static_cast<size_t>(std::min(bins - 1, static_cast<int>(p * bins)));
        confidence[bin] += p;
        hits[bin] += truth ? 1.0 : 0.0;
        ++counts[bin];
    }
    double error = 0.0;
    for (size_t b = 0; b < counts.size(); ++b)
        if (counts[b] > 0)
            error += std::abs(hits[b] - confidence[b]) / static_cast<double>(predictions.size());
    return error;
}

RmEvalReport summarize(const std::vector<PairExample>& pairs, const std::vector<PairScore>& scores,
                       bool pairwiseWithReference) {
    RmEvalReport r;
    int consistent = 0;
    std::vector<std::pair<double, bool>> calibration;
    for (size_t i = 0; i < pairs.size(); ++i) {
        const PairExample& p = pairs[i];
        const PairScore& s = scores[i];
        ++r.pairs;
        calibration.insert(calibration.end(), s.calibration.begin(), s.calibration.end());
        if (p.preferred != store::Preference::Tie && pairwiseWithReference &&
            (s.decisionB.value_or(s.rewardB) > 0.5) != (s.decisionA.value_or(s.rewardA) > 0.5))
            ++consistent; // a tie's right answer is "no" in both orders
        if (p.preferred == store::Preference::Tie) {
            ++r.ties;
            r.tieMeanGap += std::abs(s.rewardA - s.rewardB);
            continue;
        }
        const bool right =
            p.preferred == store::Preference::B ? s.rewardB > s.rewardA : s.rewardA > s.rewardB;
        ++r.decided;
        r.correct += right ? 1 : 0;
        auto& [c, n] = r.byCategory[p.category];
        c += right ? 1 : 0;
        ++n;
    }
    r.accuracy = r.decided ? static_cast<double>(r.correct) / r.decided : 0.0;
    if (r.ties)
        r.tieMeanGap /= r.ties;
    if (pairwiseWithReference && r.decided)
        r.consistency = static_cast<double>(consistent) / r.decided;
    if (!calibration.empty())
        r.calibrationError = expectedCalibrationError(calibration);
    return r;
}

nlohmann::json RmEvalReport::toJson() const {
    nlohmann::json categories = nlohmann::json::object();
    for (const auto& [name, counts] : byCategory)
        categories[name] = {
            {"correct", counts.first},
            {"pairs", counts.second},
            {"accuracy", counts.second ? double(counts.first) / counts.second : 0.0}};
    nlohmann::json j = {
        {"pairs", pairs},           {"decided", decided}, {"correct", correct},
        {"accuracy", accuracy},     {"ties", ties},       {"tie_mean_gap", tieMeanGap},
        {"by_category", categories}};
    j["consistency"] = consistency ? nlohmann::json(*consistency) : nlohmann::json();
    j["calibration_error"] =
        calibrationError ? nlohmann::json(*calibrationError) : nlohmann::json();
    return j;
}

} // namespace rd::reward
