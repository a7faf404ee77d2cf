#include "reward/rm_trainer.h"

#include "jobs/event_sink.h"
#include "jobs/job_names.h"
#include "jobs/unit_stream.h"
#include "model/model_config.h"
#include "reward/reward_model.h"
#include "reward/training_objectives.h"
#include "reward/workspace_tokenizer.h"
#include "store/workspace.h"
#include "training/training_run.h"

#include <torch/torch.h>

namespace rd::reward {
namespace fs = std::filesystem;

namespace {

RewardSpec rewardSpecFor(const RmTrainSpec& spec) {
    RewardSpec r;
    r.paradigm = spec.paradigm;
    r.withInstruction = spec.withInstruction;
    r.withReference = spec.withReference;
    r.promptFirst = spec.promptFirst;
    // Only the pairwise paradigm trains on rationales; one that always reasons first must be
    // scored after its reasoning (paper §3.2.1's second format).
    if (spec.paradigm == Paradigm::PairwiseGenerative && spec.cot == CotFormat::ReasoningFirst)
        r.answerOrder = text::AnswerOrder::ReasoningFirst;
    return r;
}

std::unique_ptr<RewardModel> initialModel(store::Workspace& ws, const RmTrainSpec& spec,
                                          const fs::path& out, jobs::EventSink& sink) {
    const RewardSpec rewardSpec = rewardSpecFor(spec);
    if (!spec.backbone.empty()) {
        const fs::path backbone = fs::path(spec.backbone).is_absolute()
                                      ? fs::path(spec.backbone)
                                      : ws.folder() / spec.backbone;
        return RewardModel::loadAs(backbone, rewardSpec, torch::kCPU);
    }
    const model::VlmConfig config = model::presetConfig(spec.preset);
    fs::path tokenizer = spec.tokenizer;
    if (tokenizer.empty()) {
        tokenizer = out / "tokenizer.json";
        const auto documents =
            trainWorkspaceTokenizer(ws, spec.split, std::min(config.lm.vocabSize, 1024), tokenizer);
        sink.event(
            {{"event", "tokenizer"}, {"path", tokenizer.string()}, {"documents", documents}});
    } else if (tokenizer.is_relative()) {
        tokenizer = ws.folder() / tokenizer;
    }
    return RewardModel::create(config, tokenizer, rewardSpec, torch::kCPU);
}

// The RM's part of a run: its step over the objective's units (with gradient accumulation) and
// the validation that keeps the best checkpoint (the objective's "selection", else accuracy).
class RmTraining : public training::Trainer {
public:
    RmTraining(store::Workspace& ws, const RmTrainSpec& spec, training::TrainingRun& run)
        : m_spec(spec), m_run(run) {
        torch::manual_seed(spec.seed);
        if (const auto& saved = run.saved()) {
            const nlohmann::json& fields = run.savedFields();
            m_bestSelection = fields.at("best_selection").get<double>();
            m_evaluationsWithoutGain = fields.at("evaluations_without_gain").get<int>();
            m_bestValidation = fields.at("best_validation");
            m_rm = RewardModel::loadAs(*saved / "model", rewardSpecFor(spec), torch::kCPU);
        } else {
            m_rm = initialModel(ws, spec, run.out(), run.earlySink());
        }
        m_rm->vlm()->train();
        m_objective = makeObjective(ws, *m_rm, spec);
        if (const auto& saved = run.saved())
            m_objective->loadExtra(*saved);
        m_stream = std::make_unique<jobs::UnitStream>(m_objective->trainingUnits(), spec.seed);
        m_data = m_objective->describe();
    }

    std::vector<at::Tensor> parameters() override {
        std::vector<at::Tensor> trained = m_rm->parameters();
        for (const at::Tensor& extra : m_objective->extraParameters())
            trained.push_back(extra);
        return trained;
    }

    nlohmann::json startFields() override {
        return {{"stage", jobs::nameOf(kRmStageNames, m_spec.stage)},
                {"paradigm", paradigmName(m_spec.paradigm)},
                {"parameters", model::countParameters(m_rm->vlm()->config()).total()},
                {"data", m_data}};
    }

    void started(jobs::EventSink& sink) override {
        // How many training labels came from people (the Results view's rm_accuracy table).
        if (!m_run.saved() && m_data.contains("human_labelled_pairs"))
            sink.metric(0, jobs::metrics::kDataHumanLabelledPairs,
                        m_data["human_labelled_pairs"].get<double>());
    }

    training::StepFigures step(std::int64_t step) override {
        training::StepFigures figures;
        int correct = 0, judged = 0;
        for (int micro = 0; micro < m_spec.accumulation; ++micro) {
            const std::uint64_t first =
                (static_cast<std::uint64_t>(step) * m_spec.accumulation + micro) *
                static_cast<std::uint64_t>(m_spec.batch);
            std::vector<size_t> units;
            for (int i = 0; i < m_spec.batch; ++i)
                units.push_back(m_stream->at(first + static_cast<std::uint64_t>(i)));
            StepLoss part = m_objective->loss(*m_rm, units, first ^ m_spec.seed);
            (part.loss / m_spec.accumulation).backward();
            figures.loss += part.loss.item<double>() / m_spec.accumulation;
            correct += part.correct;
            judged += part.judged;
        }
        figures.examples = m_spec.batch * m_spec.accumulation;
        const nlohmann::json accuracy = judged ? nlohmann::json(double(correct) / judged) : nullptr;
        figures.progress["accuracy"] = accuracy;
        if (judged)
            figures.metrics.emplace_back(jobs::metrics::kTrainAccuracy, accuracy.get<double>());
        return figures;
    }

    bool validates() const override { return m_objective->validationUnits() > 0; }

    training::Validation validate(std::int64_t step, jobs::EventSink& sink) override {
        training::Validation validation;
        const nlohmann::json report = validation.report = m_objective->validate(*m_rm);
        const double accuracy = report.at("accuracy").get<double>();
        const double selection =
            report.contains("selection") ? report["selection"].get<double>() : accuracy;
        sink.metric(step, jobs::metrics::kValAccuracy, accuracy);
        for (const char* extra : {"consistency", "calibration_error", "loss", "cell_accuracy"})
            if (report.contains(extra) && report[extra].is_number())
                sink.metric(step, std::string(jobs::metrics::kVal) + extra,
                            report[extra].get<double>());
        if (report.contains("accuracy_by_kind")) // grounding: one curve per skill
            for (const auto& [kind, value] : report["accuracy_by_kind"].items())
                sink.metric(step, jobs::metrics::kValAccuracyOf + kind, value.get<double>());
        if (!m_bestValidation.is_object() || selection > m_bestSelection) {
            m_bestSelection = selection;
            m_bestValidation = report;
            m_evaluationsWithoutGain = 0;
            m_rm->save(m_run.out(), {{"step", std::to_string(step)}});
        } else if (m_spec.patience > 0 && ++m_evaluationsWithoutGain >= m_spec.patience) {
            validation.stopEarly = true;
        }
        return validation;
    }

    void saveState(const fs::path& folder, nlohmann::json& fields) override {
        m_rm->save(folder / "model");
        m_objective->saveExtra(folder);
        fields.update({{"best_selection", m_bestSelection},
                       {"evaluations_without_gain", m_evaluationsWithoutGain},
                       {"best_validation", m_bestValidation}});
    }

    void finish(bool finished, std::int64_t steps) override {
        if (finished && !m_bestValidation.is_object()) // no validation: the last weights
            m_rm->save(m_run.out(), {{"step", std::to_string(steps)}});
    }

    nlohmann::json summary() const override { return {{"best_validation", m_bestValidation}}; }
    nlohmann::json doneFields() const override {
        return {{"checkpoint", m_run.out().string()}, {"validation", m_bestValidation}};
    }

    RmTrainResult result(const jobs::RunOutcome& outcome) const {
        RmTrainResult r;
        static_cast<jobs::RunOutcome&>(r) = outcome;
        r.checkpoint = m_run.out();
        r.validation = m_bestValidation;
        return r;
    }

private:
    const RmTrainSpec& m_spec;
    training::TrainingRun& m_run;
    std::unique_ptr<RewardModel> m_rm;
    std::unique_ptr<TrainingObjective> m_objective;
    std::unique_ptr<jobs::UnitStream> m_stream;
    nlohmann::json m_data;        // what the objective trains on (the start event's "data")
    double m_bestSelection = 0.0; // valid once m_bestValidation is set
    int m_evaluationsWithoutGain = 0;
    nlohmann::json m_bestValidation;
};

} // namespace

RmTrainResult trainRewardModel(store::Workspace& ws, const RmTrainSpec& spec, std::ostream* events,
                               const TrainControl& control) {
    const std::string kind = spec.stage == RmStage::Grounding ? "rm_grounding" : "rm_train";
    return training::runTrainer<RmTraining>(
        ws, spec,
        training::runSettingsOf(spec, kind, spec.outFolder(ws.folder()), "model.safetensors",
                                toJson(spec)),
        events, control);
}

} // namespace rd::reward
