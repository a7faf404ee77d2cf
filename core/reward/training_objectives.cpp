#include "reward/training_objectives.h"

#include "common/error.h"
#include "label/human_labels.h"
#include "reward/decision_hits.h"
#include "reward/grounding_objective.h"
#include "reward/losses.h"
#include "reward/pair_dataset.h"
#include "reward/reward_model.h"
#include "reward/rm_evaluation.h"
#include "reward/stream_objective.h"
#include "reward/training_rows.h"
#include "store/workspace.h"

#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <optional>

namespace rd::reward {

namespace {

class RewardObjective final : public TrainingObjective {
public:
    RewardObjective(store::Workspace& ws, RewardModel& rm, const RmTrainSpec& spec)
        : m_spec(spec), m_builder(rm) {
        PairDatasetOptions options;
        options.split = spec.split;
        options.categories = spec.categories;
        options.maxPairs = spec.maxPairs;
        options.withRationales = spec.cot != CotFormat::None;
        std::optional<label::HumanLabels> human;
        if (spec.labels != LabelSource::Pairs) {
            human = label::aggregateHumanLabels(
                ws, {spec.humanMinHoneypotAccuracy, spec.humanLabelsSimulated});
            m_humanLabels = human->summary();
            options.labels = spec.labels;
            options.humanLabels = &*human;
        }
        for (const std::string& study : spec.studies) {
            const std::set<store::RowId> ids = label::studyPairIds(ws, study);
            options.onlyPairs.insert(ids.begin(), ids.end());
        }
        if (!spec.studies.empty() && options.onlyPairs.empty()) // else "no filter": every pair
            throw Error(ErrorKind::InvalidArgument,
                        ws.folder().string() +
                            ": the studies given in \"studies\" ask about no pair");
        m_data = loadPairDataset(ws, rm, options);
        auto [train, validation] = holdOut(m_data.pairs, spec.valFraction);
        // Pointwise Bradley-Terry needs a winner; train_ties false leaves ties out everywhere.
        if (spec.paradigm == Paradigm::PointwiseGenerative || !spec.trainTies) {
            const size_t before = train.size();
            train.erase(std::remove_if(train.begin(), train.end(),
                                       [](const PairExample& p) {
                                           return p.preferred == store::Preference::Tie;
                                       }),
                        train.end());
            m_leftOutTies = before - train.size();
        }
        m_train = std::move(train);
        m_validation = std::move(validation);
        if (static_cast<int>(m_validation.size()) > spec.evalPairs)
            m_validation.resize(static_cast<size_t>(spec.evalPairs));
        if (m_train.empty())
            throw Error(ErrorKind::InvalidArgument,
                        ws.folder().string() + ": no usable image pairs in split '" + spec.split +
                            "' for " + paradigmName(spec.paradigm) + " training");
        for (const PairExample& p : m_train)
            m_hasTies = m_hasTies || p.preferred == store::Preference::Tie;
    }

    size_t trainingUnits() const override { return m_train.size(); }
    size_t validationUnits() const override { return m_validation.size(); }

    nlohmann::json describe() const override {
        return {{"train_pairs", m_train.size()},
                {"validation_pairs", m_validation.size()},
                {"skipped_video_pairs", m_data.skippedVideos},
                {"skipped_unlabelled_pairs", m_data.skippedUnknown},
                {"skipped_inconsistent_pairs", m_data.skippedInconsistent},
                {"labels", jobs::nameOf(kLabelSourceNames, m_spec.labels)},
                {"human_labelled_pairs",
                 std::count_if(m_train.begin(), m_train.end(),
                               [](const PairExample& p) { return p.humanLabel; })},
                {"skipped_without_human_label", m_data.skippedWithoutHumanLabel},
                {"human_labels_against_scene", m_data.humanAgainstScene},
                {"human_labels", m_humanLabels},
                {"left_out_tie_pairs", m_leftOutTies},
                {"checklist_pairs",
                 std::count_if(m_train.begin(), m_train.end(), [&](const PairExample& p) {
                     return m_spec.paradigm == Paradigm::PointwiseGenerative && checklistOf(p);
                 })}};
    }

    StepLoss loss(RewardModel& rm, const std::vector<size_t>& units, std::uint64_t salt) override {
        if (m_spec.paradigm == Paradigm::PairwiseGenerative)
            return pairwise(rm, units, salt);
        if (m_spec.paradigm == Paradigm::PointwiseGenerative)
            return pointwise(rm, units, salt);
        return regressive(rm, units);
    }

    nlohmann::json validate(RewardModel& rm) override {
        if (m_validation.empty())
            return nullptr;
        const bool withReference =
            m_spec.paradigm == Paradigm::PairwiseGenerative && m_spec.withReference;
        return summarize(m_validation, scorePairDataset(rm, m_data, m_validation, m_spec.batch),
                         withReference)
            .toJson();
    }

private:
    std::string answerText(const OrderedAnswer& a, bool decisionFirst) const {
        const std::string word = a.yes ? "yes" : "no";
        if (m_spec.cot == CotFormat::None)
            return word;
        const std::string& text = decisionFirst ? a.decisionFirst : a.reasoningFirst;
        return text.empty() ? word : text;
    }

    StepLoss pairwise(RewardModel& rm, const std::vector<size_t>& units, std::uint64_t salt) {
        std::vector<TrainingRow> rows;
        for (size_t k = 0; k < units.size(); ++k) {
            const PairExample& p = m_train[units[k]];
            const std::uint64_t draw = salt + k;
            // Both orders, or one chosen by the stream position.
            for (int order = 0; order < 2; ++order) {
                if (!m_spec.bothOrders && static_cast<int>(draw % 2) != order)
                    continue;
                const bool ab = order == 0;
                const OrderedAnswer& answer = ab ? p.ab : p.ba;
                const store::RowId reference = ab ? p.mediaA : p.mediaB;
                const store::RowId candidate = ab ? p.mediaB : p.mediaA;
                const bool decisionFirst = decisionFirstAt(draw + order);
                TrainingRow row = m_builder.rewardPrompt(
                    p.prompt, m_spec.withReference ? std::vector<store::RowId>{reference, candidate}
                                                   : std::vector<store::RowId>{candidate});
                m_builder.appendAnswer(row, answerText(answer, decisionFirst),
                                       decisionFirst ? static_cast<float>(m_spec.decisionWeight)
                                                     : 1.0f);
                if (!decisionFirst)
                    row.decision = -1; // the decision comes last
                rows.push_back(std::move(row));
            }
        }
        const BatchOutput out = runRows(rm, rows, m_data.images);
        StepLoss step;
        step.loss = tokenCrossEntropy(out.targetLogits, out.targets, out.targetWeights);
        countDecisions(rows, out.targetLogits, rm, step);
        return step;
    }

    // Whether the k-th pair of a micro-batch answers decision first (the cot choice, alternating
    // by stream position for "both").
    bool decisionFirstAt(std::uint64_t draw) const {
        return m_spec.cot == CotFormat::DecisionFirst || m_spec.cot == CotFormat::None ||
               (m_spec.cot == CotFormat::Both && draw % 2 == 0);
    }

    // Whether the pointwise rows of this pair carry its images' checklists as their answers.
    bool checklistOf(const PairExample& p) const {
        return m_spec.cot != CotFormat::None && !p.checklistA.decisionFirst.empty() &&
               !p.checklistB.decisionFirst.empty();
    }

    // Rows for image A then image B of every pair, scored at the answer position; given
    // decisionFirst (the k-th pair's format), pairs with checklists get them as their answers.
    BatchOutput pointwiseRows(RewardModel& rm, const std::vector<size_t>& units,
                              const std::vector<bool>* decisionFirst = nullptr) {
        std::vector<TrainingRow> rows;
        for (bool sideB : {false, true})
            for (size_t k = 0; k < units.size(); ++k) {
                const PairExample& p = m_train[units[k]];
                TrainingRow row = m_builder.rewardPrompt(p.prompt, {sideB ? p.mediaB : p.mediaA});
                if (decisionFirst && checklistOf(p)) {
                    const bool first = (*decisionFirst)[k];
                    m_builder.appendAnswer(
                        row, answerText(sideB ? p.checklistB : p.checklistA, first),
                        first ? static_cast<float>(m_spec.decisionWeight) : 1.0f);
                }
                rows.push_back(std::move(row));
            }
        return runRows(rm, rows, m_data.images);
    }

    // Per pair: +1 when B is preferred, -1 when A, 0 for a tie.
    at::Tensor bSign(const std::vector<size_t>& units, c10::Device device) const {
        std::vector<float> sign;
        for (size_t u : units)
            sign.push_back(m_train[u].preferred == store::Preference::B   ? 1.0f
                           : m_train[u].preferred == store::Preference::A ? -1.0f
                                                                          : 0.0f);
        return torch::tensor(sign).to(device);
    }

    static void countRanking(const at::Tensor& chosen, const at::Tensor& rejected,
                             const at::Tensor& decided, StepLoss& step) {
        const at::Tensor right = (chosen > rejected).logical_and(decided);
        step.correct += static_cast<int>(right.sum().item<int64_t>());
        step.judged += static_cast<int>(decided.sum().item<int64_t>());
    }

    // Paper §3.2.3: Bradley-Terry on the two images' P(yes) log-odds. A ShapeWorld pair also
    // trains each image's checklist (issue "Reward models that really judge"): its verdict is
    // the decision token, so the small "yes for the preferred" term is left to the pairs
    // without one (a preferred image may still miss the prompt), and a reasoning-first pair
    // trains the checklist alone (its first answer token is no decision to rank).
    StepLoss pointwise(RewardModel& rm, const std::vector<size_t>& units, std::uint64_t salt) {
        const auto n = static_cast<int64_t>(units.size());
        std::vector<bool> decisionFirst;
        std::vector<int64_t> ranked, plain; // pairs ranked with, and without, a checklist
        for (size_t k = 0; k < units.size(); ++k) {
            decisionFirst.push_back(decisionFirstAt(salt + k));
            if (!checklistOf(m_train[units[k]]))
                plain.push_back(static_cast<int64_t>(k));
            else if (decisionFirst.back())
                ranked.push_back(static_cast<int64_t>(k));
        }
        const BatchOutput out = pointwiseRows(rm, units, &decisionFirst);
        const at::Tensor logProbs =
            torch::log_softmax(rm.vlm()->logits(out.answerHidden).to(torch::kFloat32), -1);
        const at::Tensor bWins = bSign(units, rm.device()).gt(0).unsqueeze(1);
        const at::Tensor a = logProbs.slice(0, 0, n), b = logProbs.slice(0, n);
        const at::Tensor chosen = torch::where(bWins, b, a), rejected = torch::where(bWins, a, b);
        StepLoss step;
        step.loss = torch::zeros({}, logProbs.options());
        for (const auto& [pairs, ceWeight] :
             {std::pair(&ranked, 0.0), std::pair(&plain, m_spec.pointwiseCeWeight)}) {
            if (pairs->empty())
                continue;
            const at::Tensor index = torch::tensor(*pairs, torch::kLong).to(rm.device());
            const at::Tensor c = chosen.index_select(0, index), r = rejected.index_select(0, index);
            step.loss = step.loss + pointwiseGenerativeLoss(c, r, rm.yesId(), rm.noId(), ceWeight) *
                                        (double(pairs->size()) / double(n));
            countRanking(yesNoLogOdds(c.detach(), rm.yesId(), rm.noId()),
                         yesNoLogOdds(r.detach(), rm.yesId(), rm.noId()),
                         torch::ones({index.size(0)}, torch::kBool).to(rm.device()), step);
        }
        if (out.targetLogits.defined())
            step.loss =
                step.loss + tokenCrossEntropy(out.targetLogits, out.targets, out.targetWeights);
        return step;
    }

    StepLoss regressive(RewardModel& rm, const std::vector<size_t>& units) {
        const auto n = static_cast<int64_t>(units.size());
        const BatchOutput out = pointwiseRows(rm, units);
        const at::Tensor r = rm.head()->forward(out.answerHidden).squeeze(-1);
        const at::Tensor sign = bSign(units, rm.device());
        const at::Tensor bWins = sign.gt(0), tie = sign.eq(0);
        const at::Tensor ra = r.slice(0, 0, n), rb = r.slice(0, n);
        const at::Tensor chosen = torch::where(bWins, rb, ra),
                         rejected = torch::where(bWins, ra, rb);
        StepLoss step;
        step.loss = m_hasTies ? bradleyTerryWithTies(chosen, rejected, tie, m_spec.tieTheta)
                              : bradleyTerry(chosen, rejected);
        countRanking(chosen.detach(), rejected.detach(), tie.logical_not(), step);
        return step;
    }

    RmTrainSpec m_spec;
    RowBuilder m_builder;
    PairDataset m_data;
    std::vector<PairExample> m_train, m_validation;
    bool m_hasTies = false;
    size_t m_leftOutTies = 0;
    nlohmann::json m_humanLabels; // the aggregation's summary, when people's labels are read
};

} // namespace

std::unique_ptr<TrainingObjective> makeObjective(store::Workspace& ws, RewardModel& rm,
                                                 const RmTrainSpec& spec) {
    if (spec.stage == RmStage::Grounding && spec.groundingSource == GroundingSource::Stream)
        return makeStreamObjective(rm, spec);
    if (spec.stage == RmStage::Grounding)
        return makeWorkspaceGroundingObjective(ws, rm, spec);
    return std::make_unique<RewardObjective>(ws, rm, spec);
}

} // namespace rd::reward
