#include "reward/training_objectives.h"

#include "common/error.h"
#include "label/human_labels.h"
#include "reward/grounding_dataset.h"
#include "reward/losses.h"
#include "reward/pair_dataset.h"
#include "reward/reward_model.h"
#include "reward/rm_evaluation.h"
#include "reward/scene_cells.h"
#include "reward/stream_objective.h"
#include "reward/training_rows.h"
#include "store/workspace.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>

namespace rd::reward {

namespace {

// Whether each decision row (in row order) answered right, read from the logits at its first
// target (the yes/no token).
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

class RewardObjective final : public TrainingObjective {
public:
    RewardObjective(store::Workspace& ws, RewardModel& rm, const RmTrainSpec& spec)
        : m_spec(spec), m_builder(rm) {
        PairDatasetOptions options;
        options.split = spec.split;
        options.categories = spec.categories;
        options.maxPairs = spec.maxPairs;
        options.withRationales = spec.cot != "none";
        std::optional<label::HumanLabels> human;
        if (spec.labels != "pairs") {
            human = label::aggregateHumanLabels(
                ws, {spec.humanMinHoneypotAccuracy, spec.humanLabelsSimulated});
            m_humanLabels = human->summary();
            options.labels = spec.labels == "humans" ? LabelSource::Humans : LabelSource::Both;
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
        if (spec.paradigm == "pointwise" || !spec.trainTies) {
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
                            "' for " + spec.paradigm + " training");
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
                {"labels", m_spec.labels},
                {"human_labelled_pairs",
                 std::count_if(m_train.begin(), m_train.end(),
                               [](const PairExample& p) { return p.humanLabel; })},
                {"skipped_without_human_label", m_data.skippedWithoutHumanLabel},
                {"human_labels_against_scene", m_data.humanAgainstScene},
                {"human_labels", m_humanLabels},
                {"left_out_tie_pairs", m_leftOutTies},
                {"checklist_pairs",
                 std::count_if(m_train.begin(), m_train.end(), [&](const PairExample& p) {
                     return m_spec.paradigm == "pointwise" && checklistOf(p);
                 })}};
    }

    StepLoss loss(RewardModel& rm, const std::vector<size_t>& units, std::uint64_t salt) override {
        if (m_spec.paradigm == "pairwise")
            return pairwise(rm, units, salt);
        if (m_spec.paradigm == "pointwise")
            return pointwise(rm, units, salt);
        return regressive(rm, units);
    }

    nlohmann::json validate(RewardModel& rm) override {
        if (m_validation.empty())
            return nullptr;
        const bool withReference = m_spec.paradigm == "pairwise" && m_spec.withReference;
        return summarize(m_validation, scorePairDataset(rm, m_data, m_validation, m_spec.batch),
                         withReference)
            .toJson();
    }

private:
    std::string answerText(const OrderedAnswer& a, bool decisionFirst) const {
        const std::string word = a.yes ? "yes" : "no";
        if (m_spec.cot == "none")
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
        return m_spec.cot == "decision_first" || m_spec.cot == "none" ||
               (m_spec.cot == "both" && draw % 2 == 0);
    }

    // Whether the pointwise rows of this pair carry its images' checklists as their answers.
    bool checklistOf(const PairExample& p) const {
        return m_spec.cot != "none" && !p.checklistA.decisionFirst.empty() &&
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

class GroundingObjective final : public TrainingObjective {
public:
    GroundingObjective(store::Workspace& ws, RewardModel& rm, const RmTrainSpec& spec)
        : m_spec(spec), m_builder(rm) {
        m_data = loadGroundingDataset(ws, rm, spec.split, spec.seed, spec.maxPairs,
                                      spec.groundingCaption == "places");
        const auto trained = [&](const std::string& kind) {
            if (spec.groundingKinds.empty())
                return isDefaultGroundingKind(kind);
            return std::find(spec.groundingKinds.begin(), spec.groundingKinds.end(), kind) !=
                   spec.groundingKinds.end();
        };
        m_withCaption = trained("caption");
        for (GroundingExample& ex : m_data.examples) {
            ex.questions.erase(std::remove_if(ex.questions.begin(), ex.questions.end(),
                                              [&](const auto& q) { return !trained(q.kind); }),
                               ex.questions.end());
            if (!m_withCaption && ex.questions.empty())
                continue; // nothing of the chosen kinds to ask about this image
            // The same stable hash split as the pairs, on the media id.
            PairExample key;
            key.pairId = ex.mediaId;
            const bool held = holdOut({key}, spec.valFraction).second.size() == 1;
            (held && static_cast<int>(m_validation.size()) < spec.evalPairs ? m_validation
                                                                            : m_train)
                .push_back(std::move(ex));
        }
        if (m_train.empty())
            throw Error(ErrorKind::InvalidArgument,
                        "no images left to ground on after hold-out and grounding_kinds");
        if (spec.groundingCellWeight > 0)
            makeCellProbe(rm);
    }

    size_t trainingUnits() const override { return m_train.size(); }
    size_t validationUnits() const override { return m_validation.size(); }
    nlohmann::json describe() const override {
        return {{"train_images", m_train.size()}, {"validation_images", m_validation.size()}};
    }

    StepLoss loss(RewardModel& rm, const std::vector<size_t>& units, std::uint64_t salt) override {
        std::vector<TrainingRow> rows;
        for (size_t k = 0; k < units.size(); ++k)
            appendRows(m_train, units[k], salt + k, rows);
        const BatchOutput out = runRows(rm, rows, m_data.images);
        StepLoss step;
        step.loss = tokenCrossEntropy(out.targetLogits, out.targets, out.targetWeights);
        if (m_cellProbe)
            step.loss = step.loss + m_spec.groundingCellWeight *
                                        m_cellProbe->loss(out.imageTokens, cellTargets(out));
        countDecisions(rows, out.targetLogits, rm, step);
        return step;
    }

    std::vector<at::Tensor> extraParameters() const override {
        return m_cellProbe ? m_cellProbe->parameters() : std::vector<at::Tensor>{};
    }
    void saveExtra(const std::filesystem::path& folder) const override {
        if (m_cellProbe)
            m_cellProbe->save(folder / kCellProbeFile);
    }
    void loadExtra(const std::filesystem::path& folder) override {
        if (m_cellProbe)
            m_cellProbe->load(folder / kCellProbeFile);
    }

    nlohmann::json validate(RewardModel& rm) override {
        if (m_validation.empty())
            return nullptr;
        c10::InferenceMode inference;
        rm.vlm()->eval();
        std::map<std::string, std::pair<int, int>> byKind; // kind -> (correct, judged)
        int correct = 0, judged = 0;
        int cellsRight = 0, objectCells = 0;
        std::int64_t decisionTokens = 0, targetTokens = 0;
        double lossSum = 0.0;
        int batches = 0;
        for (size_t start = 0; start < m_validation.size(); start += m_spec.batch) {
            std::vector<TrainingRow> rows;
            std::vector<std::string> kinds; // one per question row, in row order
            for (size_t i = start; i < std::min(m_validation.size(), start + m_spec.batch); ++i)
                appendRows(m_validation, i, i, rows, &kinds); // the same partners every time
            const BatchOutput out = runRows(rm, rows, m_data.images);
            lossSum +=
                tokenCrossEntropy(out.targetLogits, out.targets, out.targetWeights).item<double>();
            ++batches;
            decisionTokens += decisionTargets(out, rm.yesId(), rm.noId());
            targetTokens += out.targets.numel();
            if (m_cellProbe) {
                const auto [right, cells] =
                    m_cellProbe->objectCellHits(out.imageTokens, cellTargets(out));
                cellsRight += right;
                objectCells += cells;
            }
            const std::vector<bool> hits = decisionHits(rows, out.targetLogits, rm);
            for (size_t q = 0; q < hits.size(); ++q) {
                auto& [kindCorrect, kindJudged] = byKind[kinds[q]];
                kindCorrect += hits[q] ? 1 : 0;
                ++kindJudged;
                correct += hits[q] ? 1 : 0;
                ++judged;
            }
        }
        rm.vlm()->train();
        const double loss = lossSum / std::max(1, batches);
        nlohmann::json accuracyByKind = nlohmann::json::object();
        for (const auto& [kind, counts] : byKind)
            accuracyByKind[kind] = double(counts.first) / counts.second;
        // Captions dominate what grounding learns, so the best model is the lowest loss.
        nlohmann::json report = {
            {"accuracy", judged ? double(correct) / judged : 0.0},
            {"questions", judged},
            {"accuracy_by_kind", accuracyByKind},
            {"loss", loss},
            {"decision_token_share",
             targetTokens ? double(decisionTokens) / double(targetTokens) : 0.0},
            {"selection", -loss}};
        if (m_cellProbe && objectCells > 0) // the probe's colour and shape both right
            report["cell_accuracy"] = double(cellsRight) / objectCells;
        return report;
    }

private:
    // The image's caption row, then one row per question; each question's kind goes to kinds.
    // In the pair layout every row also holds a partner image of the same set, the two in an
    // order drawn per row (from `draw`), and the question names the example's slot, so the model
    // learns to look at the image a question points to - what a pairwise RM must do.
    void appendRows(const std::vector<GroundingExample>& set, size_t index, std::uint64_t draw,
                    std::vector<TrainingRow>& rows,
                    std::vector<std::string>* kinds = nullptr) const {
        const GroundingExample& ex = set[index];
        std::mt19937_64 rng(m_spec.seed * 0x9E3779B97F4A7C15ull + draw);
        const auto questionRow = [&](const std::string& question) {
            const bool first = m_spec.groundingQuestionFirst;
            if (m_spec.groundingLayout != "pair")
                return m_builder.imageQuestion(question, {ex.mediaId}, first);
            // Any other image of the set (itself only when the set has one image).
            const size_t offset = 1 + rng() % std::max<size_t>(1, set.size() - 1);
            const store::RowId partner = set[(index + offset) % set.size()].mediaId;
            const bool second = rng() % 2 == 1;
            return m_builder.imageQuestion(aboutImage(question, second ? "image 2" : "image 1"),
                                           second ? std::vector<store::RowId>{partner, ex.mediaId}
                                                  : std::vector<store::RowId>{ex.mediaId, partner},
                                           first);
        };
        if (m_withCaption) {
            TrainingRow caption = questionRow(kDescribeQuestion);
            m_builder.appendAnswer(caption, ex.caption, 1.0f);
            caption.decision = -1;
            rows.push_back(std::move(caption));
        }
        for (const GroundingQuestion& q : ex.questions) {
            TrainingRow row = questionRow(q.question);
            m_builder.appendAnswer(row, q.yes ? "yes" : "no",
                                   static_cast<float>(m_spec.decisionWeight));
            rows.push_back(std::move(row));
            if (kinds)
                kinds->push_back(q.kind);
        }
    }

    static constexpr const char* kCellProbeFile = "cell_probe.pt";

    void makeCellProbe(const RewardModel& rm) {
        const model::VlmConfig& config = rm.vlm()->config();
        const int side = static_cast<int>(std::lround(std::sqrt(config.tokensPerTile())));
        if (side * side != config.tokensPerTile())
            throw Error(ErrorKind::Unsupported,
                        "grounding_cell_weight needs a square grid of image tokens");
        for (const auto* set : {&m_train, &m_validation})
            for (const GroundingExample& ex : *set)
                m_cellTargets[ex.mediaId] = sceneCellTargets(ex.objects, side);
        m_cellProbe.emplace(config.lm.hidden, side, rm.device());
    }

    // The targets of the batch's images, in the order of its image tokens.
    std::vector<const CellTargets*> cellTargets(const BatchOutput& out) const {
        std::vector<const CellTargets*> targets;
        for (store::RowId media : out.imageIds)
            targets.push_back(&m_cellTargets.at(media));
        return targets;
    }

    RmTrainSpec m_spec;
    RowBuilder m_builder;
    GroundingDataset m_data;
    bool m_withCaption = true;
    std::vector<GroundingExample> m_train, m_validation;
    std::optional<CellProbe> m_cellProbe; // with grounding_cell_weight > 0
    std::map<store::RowId, CellTargets> m_cellTargets;
};

} // namespace

std::unique_ptr<TrainingObjective> makeObjective(store::Workspace& ws, RewardModel& rm,
                                                 const RmTrainSpec& spec) {
    if (spec.stage == "grounding" && spec.groundingSource == "stream")
        return makeStreamObjective(rm, spec);
    if (spec.stage == "grounding")
        return std::make_unique<GroundingObjective>(ws, rm, spec);
    return std::make_unique<RewardObjective>(ws, rm, spec);
}

} // namespace rd::reward
