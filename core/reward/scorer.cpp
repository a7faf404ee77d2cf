#include "reward/scorer.h"

#include "common/error.h"
#include "compute/compute_context.h"
#include "reward/answer_scores.h"
#include "reward/reasoned_scores.h"
#include "reward/reward_model.h"

#include <torch/torch.h>

#include <map>

namespace rd::reward {

namespace {

bool usesReference(const RewardModel& rm) {
    return rm.spec().paradigm == Paradigm::PairwiseGenerative && rm.spec().withReference;
}

// The reward a reasoning-first model gives after writing its rationale.
RewardScore fromReasoned(const ReasonedScore& r) {
    RewardScore s;
    s.pYes = r.pYes;
    s.pNo = r.pNo;
    s.pYesRenormalized = r.pYesRenormalized;
    s.reward = r.pYes; // Eq. 2 at the decision token
    s.rationale = r.rationale;
    return s;
}

// One prepared row: token ids and its images' tiles, in prompt order.
struct PreparedRow {
    text::EncodedPrompt prompt;
    std::vector<at::Tensor> tiles;
    std::vector<int> tileCounts;
};

PreparedRow prepare(RewardModel& rm, const std::string& prompt, const cv::Mat* reference,
                    const cv::Mat& candidate) {
    PreparedRow row;
    if (reference) {
        row.tiles.push_back(rm.imageTiles(*reference));
        row.tileCounts.push_back(static_cast<int>(row.tiles.back().size(0)));
    }
    row.tiles.push_back(rm.imageTiles(candidate));
    row.tileCounts.push_back(static_cast<int>(row.tiles.back().size(0)));
    row.prompt = rm.encodePrompt(prompt, row.tileCounts);
    return row;
}

// Scores rows that share a tile layout in one batch: right padding is harmless to a causal LM
// as long as each row is read at its own last token.
std::vector<RewardScore> scoreBatch(RewardModel& rm, const std::vector<PreparedRow*>& rows) {
    c10::InferenceMode inference; // no autograd bookkeeping at all: cheaper than NoGradGuard
    int64_t longest = 0;
    for (const PreparedRow* r : rows)
        longest = std::max<int64_t>(longest, static_cast<int64_t>(r->prompt.ids.size()));
    const auto b = static_cast<int64_t>(rows.size());
    at::Tensor ids = torch::full({b, longest}, rm.endOfTurnId(), torch::kLong);
    std::vector<int64_t> last;
    std::vector<at::Tensor> tiles;
    for (int64_t i = 0; i < b; ++i) {
        const auto& p = rows[static_cast<size_t>(i)]->prompt.ids;
        ids[i]
            .slice(0, 0, static_cast<int64_t>(p.size()))
            .copy_(torch::tensor(std::vector<int64_t>(p.begin(), p.end()), torch::kLong));
        last.push_back(static_cast<int64_t>(p.size()) - 1);
        for (const at::Tensor& t : rows[static_cast<size_t>(i)]->tiles)
            tiles.push_back(t);
    }
    auto& vlm = rm.vlm();
    const at::Tensor features = vlm->encodeImages(torch::cat(tiles));
    const at::Tensor positions = torch::tensor(last, torch::kLong).to(rm.device());
    const at::Tensor lastHidden =
        vlm->forward(ids.to(rm.device()), features.reshape({b, -1, features.size(-1)}),
                     rm.imageContextId(), nullptr, positions);
    return answerScores(rm, lastHidden.squeeze(1));
}

} // namespace

Scorer::Scorer(std::shared_ptr<RewardModel> model, ScorerOptions options)
    : m_model(std::move(model)), m_options(options) {
    if (m_options.batchSize < 1)
        throw Error(ErrorKind::InvalidArgument, "scorer batch size must be at least 1");
}

Scorer Scorer::open(const std::filesystem::path& folder, const std::string& device,
                    ScorerOptions options) {
    compute::validateDevice(device);
    return Scorer(std::shared_ptr<RewardModel>(RewardModel::load(folder, c10::Device(device))),
                  options);
}

RewardScore Scorer::scorePair(const PairToScore& pair) {
    return scorePairs({pair}).front();
}

std::vector<RewardScore> Scorer::scorePairs(const std::vector<PairToScore>& pairs) {
    RewardModel& rm = *m_model;
    const bool withReference = usesReference(rm);
    std::vector<PreparedRow> rows;
    rows.reserve(pairs.size());
    for (const PairToScore& pair : pairs)
        rows.push_back(
            prepare(rm, pair.prompt, withReference ? &pair.reference : nullptr, pair.candidate));
    if (decidesAfterReasoning(rm.spec())) { // its rationale comes first, so it is always written
        std::vector<ReasoningRow> reasoning;
        for (const PreparedRow& r : rows)
            reasoning.push_back(
                {std::vector<int64_t>(r.prompt.ids.begin(), r.prompt.ids.end()), r.tiles});
        std::vector<RewardScore> scores;
        for (const ReasonedScore& r :
             reasonThenAnswer(rm, reasoning, m_options.batchSize, m_options.maxNewTokens))
            scores.push_back(fromReasoned(r));
        return scores;
    }
    // Batch rows with the same tile layout (always true with one tile per image).
    std::map<std::vector<int>, std::vector<size_t>> byLayout;
    for (size_t i = 0; i < rows.size(); ++i)
        byLayout[rows[i].tileCounts].push_back(i);
    std::vector<RewardScore> scores(pairs.size());
    for (const auto& [layout, members] : byLayout)
        for (size_t start = 0; start < members.size();
             start += static_cast<size_t>(m_options.batchSize)) {
            std::vector<PreparedRow*> batch;
            for (size_t j = start; j < std::min(members.size(), start + m_options.batchSize); ++j)
                batch.push_back(&rows[members[j]]);
            const auto batchScores = scoreBatch(rm, batch);
            for (size_t j = 0; j < batch.size(); ++j)
                scores[members[start + j]] = batchScores[j];
        }
    if (m_options.chainOfThought && rm.spec().paradigm != Paradigm::PointwiseRegressive)
        for (size_t i = 0; i < rows.size(); ++i)
            scores[i].rationale =
                generateRationale(rm, rows[i].prompt, rows[i].tiles, m_options.maxNewTokens);
    return scores;
}

std::vector<RewardScore> Scorer::scoreCandidates(const std::string& prompt,
                                                 const cv::Mat& reference,
                                                 const std::vector<cv::Mat>& candidates,
                                                 PrefixSharing sharing) {
    if (candidates.empty())
        return {};
    RewardModel& rm = *m_model;
    if (sharing == PrefixSharing::Off ||
        decidesAfterReasoning(rm.spec())) { // each rationale is its own
        std::vector<PairToScore> pairs;
        for (const cv::Mat& c : candidates)
            pairs.push_back({prompt, reference, c});
        return scorePairs(pairs);
    }
    c10::InferenceMode inference; // no autograd bookkeeping at all: cheaper than NoGradGuard
    auto& vlm = rm.vlm();
    const bool withReference = usesReference(rm);
    std::vector<at::Tensor> candidateTiles;
    for (const cv::Mat& c : candidates)
        candidateTiles.push_back(rm.imageTiles(c));
    for (const at::Tensor& t : candidateTiles)
        if (t.size(0) != candidateTiles[0].size(0))
            throw Error(ErrorKind::InvalidArgument,
                        "prefix sharing needs candidates with the same tile count");
    const at::Tensor referenceTiles = withReference ? rm.imageTiles(reference) : at::Tensor();
    std::vector<int> layout;
    if (withReference)
        layout.push_back(static_cast<int>(referenceTiles.size(0)));
    layout.push_back(static_cast<int>(candidateTiles[0].size(0)));
    const text::EncodedPrompt encoded = rm.encodePrompt(prompt, layout);

    // Everything before the candidate's first image token is shared.
    const size_t referenceTokens =
        withReference ? static_cast<size_t>(layout[0]) * vlm->config().tokensPerTile() : 0;
    const auto split = encoded.imageContextPositions.at(referenceTokens);
    const std::vector<int64_t> all(encoded.ids.begin(), encoded.ids.end());
    const at::Tensor prefix =
        torch::tensor(std::vector<int64_t>(all.begin(), all.begin() + split), torch::kLong)
            .unsqueeze(0)
            .to(rm.device());
    const at::Tensor suffix =
        torch::tensor(std::vector<int64_t>(all.begin() + split, all.end()), torch::kLong)
            .unsqueeze(0)
            .to(rm.device());
    model::KvCache shared = vlm->newCache();
    const at::Tensor referenceFeatures =
        withReference ? vlm->encodeImages(referenceTiles).reshape({1, -1, vlm->config().lm.hidden})
                      : at::Tensor();
    vlm->forward(prefix, referenceFeatures, rm.imageContextId(), &shared);

    std::vector<RewardScore> scores;
    for (size_t start = 0; start < candidates.size();
         start += static_cast<size_t>(m_options.batchSize)) {
        const size_t end = std::min(candidates.size(), start + m_options.batchSize);
        const auto n = static_cast<int64_t>(end - start);
        std::vector<at::Tensor> tiles(candidateTiles.begin() + static_cast<long>(start),
                                      candidateTiles.begin() + static_cast<long>(end));
        const at::Tensor features = vlm->encodeImages(torch::cat(tiles));
        model::KvCache cache = shared.expandedTo(n);
        const at::Tensor answer = torch::full(
            {n}, suffix.size(1) - 1, torch::TensorOptions(torch::kLong).device(rm.device()));
        const at::Tensor hidden =
            vlm->forward(suffix.expand({n, -1}), features.reshape({n, -1, features.size(-1)}),
                         rm.imageContextId(), &cache, answer);
        for (const RewardScore& s : answerScores(rm, hidden.squeeze(1)))
            scores.push_back(s);
    }
    return scores;
}

PositionBiasReport Scorer::positionBias(const std::vector<PairToScore>& pairs) {
    std::vector<PairToScore> swapped;
    for (const PairToScore& p : pairs)
        swapped.push_back({p.prompt, p.candidate, p.reference});
    const auto forward = scorePairs(pairs), backward = scorePairs(swapped);
    PositionBiasReport report;
    report.pairs = static_cast<int>(pairs.size());
    for (size_t i = 0; i < pairs.size(); ++i) {
        const double a = forward[i].reward, b = backward[i].reward;
        report.consistent += (a > 0.5) != (b > 0.5) ? 1 : 0; // each order names the other winner
        report.meanAbsDeviation += std::abs(a + b - 1.0);
    }
    if (report.pairs > 0) {
        report.agreement = static_cast<double>(report.consistent) / report.pairs;
        report.meanAbsDeviation /= report.pairs;
    }
    return report;
}

} // namespace rd::reward
