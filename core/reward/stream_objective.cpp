#include "reward/stream_objective.h"

#include "jobs/unit_stream.h"
#include "reward/grounding_stream.h"
#include "reward/losses.h"
#include "reward/reward_model.h"
#include "reward/training_rows.h"
#include "synth/split_rules.h"

#include <torch/torch.h>

#include <map>

namespace rd::reward {

namespace {

// Distinct training units (the data order permutes them); each draw also mixes in the stream
// position, so an epoch never repeats the scenes of the one before.
constexpr std::size_t kStreamUnits = std::size_t(1) << 20;
constexpr std::uint64_t kValidationSalt = 0x76616c6964ull; // "valid": its own stream
// Images are drawn at this multiple of the model's input size, then scaled down.
constexpr int kDrawScale = 2;

struct AskedRow {
    store::RowId image = 0;
    synth::DirectKind kind = synth::DirectKind::Caption;
    synth::DirectQuestion question;
};

// Whether each row's answer is exact: every target token the argmax of its logits.
std::vector<bool> exactAnswers(const std::vector<TrainingRow>& rows, const BatchOutput& out) {
    const at::Tensor right =
        (out.targetLogits.argmax(-1) == out.targets).to(torch::kCPU).contiguous();
    const auto* hit = right.data_ptr<bool>();
    std::vector<bool> exact;
    std::int64_t at = 0;
    for (const TrainingRow& r : rows) {
        bool all = true;
        for (size_t i = 0; i < r.targetPositions.size(); ++i)
            all = all && hit[at + static_cast<std::int64_t>(i)];
        at += static_cast<std::int64_t>(r.targetPositions.size());
        exact.push_back(all);
    }
    return exact;
}

class GroundingStreamObjective final : public TrainingObjective {
public:
    GroundingStreamObjective(RewardModel& rm, const RmTrainSpec& spec)
        : m_spec(spec), m_builder(rm),
          m_split(synth::parseSplit(spec.split).value_or(synth::Split::Train)),
          m_stream(spec.seed, m_split) {
        for (const std::string& k : spec.groundingKinds)
            m_kinds.push_back(*synth::parseDirectKind(k)); // the spec parser checked the names
        if (m_kinds.empty())
            m_kinds.assign(std::begin(synth::kDirectKinds), std::end(synth::kDirectKinds));
        // Held-out scenes from a stream of their own, each asked every kind it can carry.
        const GroundingStream held(jobs::mixSeed(spec.seed ^ kValidationSalt), m_split);
        for (int i = 0; i < spec.evalPairs; ++i)
            for (synth::DirectKind kind : m_kinds) {
                const StreamItem item = held.item(static_cast<std::uint64_t>(i), kind);
                if (item.question.kind != kind)
                    continue; // no scene drawn for this position can carry the kind
                // The kinds asked at one position share its scenes: one image per scene.
                const store::RowId id = static_cast<store::RowId>(i) * 64 + item.draw + 1;
                if (!m_validationImages.count(id))
                    m_validationImages[id] =
                        rm.imageTiles(GroundingStream::render(item, kDrawScale * rm.imageSize()));
                m_validation.push_back({id, kind, item.question});
            }
    }

    size_t trainingUnits() const override { return kStreamUnits; }
    size_t validationUnits() const override { return m_validation.size(); }
    nlohmann::json describe() const override {
        nlohmann::json kinds = nlohmann::json::array();
        for (synth::DirectKind k : m_kinds)
            kinds.push_back(synth::name(k));
        return {{"source", "stream"},
                {"kinds", kinds},
                {"validation_images", m_validationImages.size()},
                {"validation_questions", m_validation.size()}};
    }

    StepLoss loss(RewardModel& rm, const std::vector<size_t>& units, std::uint64_t salt) override {
        std::vector<TrainingRow> rows;
        std::map<store::RowId, at::Tensor> images;
        for (size_t k = 0; k < units.size(); ++k) {
            const std::uint64_t position = jobs::mixSeed(units[k] ^ jobs::mixSeed(salt + k));
            const synth::DirectKind kind = m_kinds[position % m_kinds.size()];
            const StreamItem item = m_stream.item(position, kind);
            const auto id = static_cast<store::RowId>(k + 1);
            images[id] = rm.imageTiles(GroundingStream::render(item, kDrawScale * rm.imageSize()));
            rows.push_back(row({id, item.question.kind, item.question}));
        }
        const BatchOutput out = runRows(rm, rows, images);
        StepLoss step;
        step.loss = tokenCrossEntropy(out.targetLogits, out.targets, out.targetWeights);
        const std::vector<bool> exact = exactAnswers(rows, out);
        step.correct = static_cast<int>(std::count(exact.begin(), exact.end(), true));
        step.judged = static_cast<int>(exact.size());
        return step;
    }

    nlohmann::json validate(RewardModel& rm) override {
        c10::InferenceMode inference;
        rm.vlm()->eval();
        std::map<std::string, std::pair<int, int>> byKind; // kind -> (exact, asked)
        double lossSum = 0.0;
        std::int64_t decisionTokens = 0, targetTokens = 0;
        int batches = 0;
        const size_t batch = static_cast<size_t>(m_spec.batch);
        for (size_t start = 0; start < m_validation.size(); start += batch) {
            std::vector<TrainingRow> rows;
            const size_t end = std::min(m_validation.size(), start + batch);
            for (size_t i = start; i < end; ++i)
                rows.push_back(row(m_validation[i]));
            const BatchOutput out = runRows(rm, rows, m_validationImages);
            lossSum +=
                tokenCrossEntropy(out.targetLogits, out.targets, out.targetWeights).item<double>();
            ++batches;
            decisionTokens += decisionTargets(out, rm.yesId(), rm.noId());
            targetTokens += out.targets.numel();
            const std::vector<bool> exact = exactAnswers(rows, out);
            for (size_t i = start; i < end; ++i) {
                auto& [right, asked] = byKind[synth::name(m_validation[i].kind)];
                right += exact[i - start] ? 1 : 0;
                ++asked;
            }
        }
        rm.vlm()->train();
        nlohmann::json accuracyByKind = nlohmann::json::object();
        double questionAccuracy = 0.0;
        int questionKinds = 0;
        for (const auto& [kind, counts] : byKind) {
            const double accuracy = double(counts.first) / counts.second;
            accuracyByKind[kind] = accuracy;
            if (kind != synth::name(synth::DirectKind::Caption)) {
                questionAccuracy += accuracy;
                ++questionKinds;
            }
        }
        // The answer accuracy averaged over the question kinds (captions are long and rarely
        // word-perfect) chooses the checkpoint: the skills, not the caption loss.
        const double accuracy =
            questionKinds ? questionAccuracy / questionKinds : accuracyByKind.value("caption", 0.0);
        return {{"accuracy", accuracy},
                {"questions", m_validation.size()},
                {"accuracy_by_kind", accuracyByKind},
                {"loss", lossSum / std::max(1, batches)},
                {"decision_token_share",
                 targetTokens ? double(decisionTokens) / double(targetTokens) : 0.0}};
    }

private:
    TrainingRow row(const AskedRow& asked) const {
        TrainingRow r = m_builder.imageQuestion(asked.question.question, {asked.image},
                                                m_spec.groundingQuestionFirst);
        const bool bareDecision = asked.kind == synth::DirectKind::Presence;
        m_builder.appendAnswer(r, asked.question.answer,
                               bareDecision ? static_cast<float>(m_spec.decisionWeight) : 1.0f);
        return r;
    }

    RmTrainSpec m_spec;
    RowBuilder m_builder;
    synth::Split m_split;
    GroundingStream m_stream;
    std::vector<synth::DirectKind> m_kinds;
    std::vector<AskedRow> m_validation;
    std::map<store::RowId, at::Tensor> m_validationImages;
};

} // namespace

std::unique_ptr<TrainingObjective> makeStreamObjective(RewardModel& rm, const RmTrainSpec& spec) {
    return std::make_unique<GroundingStreamObjective>(rm, spec);
}

} // namespace rd::reward
