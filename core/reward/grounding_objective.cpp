#include "reward/grounding_objective.h"

#include "common/error.h"
#include "reward/decision_hits.h"
#include "reward/grounding_dataset.h"
#include "reward/losses.h"
#include "reward/pair_dataset.h"
#include "reward/reward_model.h"
#include "reward/scene_cells.h"
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

class GroundingObjective final : public TrainingObjective {
public:
    GroundingObjective(store::Workspace& ws, RewardModel& rm, const RmTrainSpec& spec)
        : m_spec(spec), m_builder(rm) {
        m_data = loadGroundingDataset(ws, rm, spec.split, spec.seed, spec.maxPairs,
                                      spec.groundingCaption == GroundingCaption::Places);
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
            if (m_spec.groundingLayout != GroundingLayout::Pair)
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

std::unique_ptr<TrainingObjective>
makeWorkspaceGroundingObjective(store::Workspace& ws, RewardModel& rm, const RmTrainSpec& spec) {
    return std::make_unique<GroundingObjective>(ws, rm, spec);
}

} // namespace rd::reward
