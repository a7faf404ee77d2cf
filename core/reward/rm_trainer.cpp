#include "reward/rm_trainer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "compute/compute_context.h"
#include "jobs/event_sink.h"
#include "jobs/job_names.h"
#include "jobs/run_budget.h"
#include "jobs/run_lease.h"
#include "jobs/state_folder.h"
#include "jobs/unit_stream.h"
#include "model/model_config.h"
#include "reward/lr_schedule.h"
#include "reward/reward_model.h"
#include "reward/training_objectives.h"
#include "reward/workspace_tokenizer.h"
#include "store/run_repository.h"
#include "store/workspace.h"

#include <torch/torch.h>

#include <chrono>

namespace rd::reward {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kStateFolder = "train_state";
constexpr const char* kStateFile = "state.json";
constexpr const char* kOptimizerFile = "optimizer.pt";

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

struct TrainingState {
    std::int64_t step = 0;
    double seconds = 0.0;
    double bestSelection = 0.0; // valid once bestValidation is set
    int evaluationsWithoutGain = 0;
    store::RowId runId = 0;
    nlohmann::json bestValidation;
};

void saveState(const fs::path& folder, RewardModel& rm, const TrainingObjective& objective,
               torch::optim::AdamW& optimizer, const TrainingState& s, const RmTrainSpec& spec) {
    jobs::StateFolder(folder).replace([&](const fs::path& tmp) {
        rm.save(tmp / "model");
        objective.saveExtra(tmp);
        torch::save(optimizer, (tmp / kOptimizerFile).string());
        const nlohmann::json j = {{"step", s.step},
                                  {"seconds", s.seconds},
                                  {"best_selection", s.bestSelection},
                                  {"evaluations_without_gain", s.evaluationsWithoutGain},
                                  {"run_id", s.runId},
                                  {"best_validation", s.bestValidation},
                                  {"spec", toJson(spec)}};
        writeFileAtomically(tmp / kStateFile, [&](std::ostream& o) { o << j.dump(2); });
    });
}

TrainingState readState(const fs::path& folder, const RmTrainSpec& spec) {
    const nlohmann::json j = jobs::readSavedState(folder / kStateFile, toJson(spec));
    TrainingState s;
    s.step = j.at("step").get<std::int64_t>();
    s.seconds = j.at("seconds").get<double>();
    s.bestSelection = j.at("best_selection").get<double>();
    s.evaluationsWithoutGain = j.at("evaluations_without_gain").get<int>();
    s.runId = j.at("run_id").get<store::RowId>();
    s.bestValidation = j.at("best_validation");
    return s;
}

void setLearningRate(torch::optim::AdamW& optimizer, double lr) {
    for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
}

} // namespace

RmTrainResult trainRewardModel(store::Workspace& ws, const RmTrainSpec& spec, std::ostream* events,
                               const TrainControl& control) {
    compute::ComputeContext ctx;
    ctx.threads = spec.threads;
    const int threads = compute::configureThreads(ctx);
    const fs::path out = spec.outFolder(ws.folder());
    const fs::path stateFolder = out / kStateFolder;
    jobs::OutFolderClaim claim(out, kStateFolder, "model.safetensors", control.resume);
    const auto& saved = claim.saved();

    jobs::EventSink quiet(events, nullptr, 0);
    TrainingState state;
    torch::manual_seed(spec.seed);
    std::unique_ptr<RewardModel> rm;
    if (saved) {
        state = readState(*saved, spec);
        rm = RewardModel::loadAs(*saved / "model", rewardSpecFor(spec), torch::kCPU);
    } else {
        rm = initialModel(ws, spec, out, quiet);
    }
    rm->vlm()->train();
    auto objective = makeObjective(ws, *rm, spec);

    std::vector<at::Tensor> trained = rm->parameters();
    for (const at::Tensor& extra : objective->extraParameters())
        trained.push_back(extra);
    torch::optim::AdamW optimizer(
        trained, torch::optim::AdamWOptions(spec.lr).weight_decay(spec.weightDecay));
    if (saved) {
        objective->loadExtra(*saved);
        torch::load(optimizer, (*saved / kOptimizerFile).string());
    }
    if (!saved)
        state.runId = ws.runs().create(
            spec.stage == RmStage::Grounding ? "rm_grounding" : "rm_train", toJson(spec).dump());
    // Marks the run running; held until this function returns, after its final status is set.
    const jobs::RunLease lease(ws, state.runId);
    claim.keep();
    jobs::EventSink sink(events, &ws, state.runId);
    nlohmann::json start = {{"event", jobs::events::kStart},
                            {"run_id", state.runId},
                            {"stage", jobs::nameOf(kRmStageNames, spec.stage)},
                            {"paradigm", paradigmName(spec.paradigm)},
                            {"parameters", model::countParameters(rm->vlm()->config()).total()},
                            {"threads", threads},
                            {"resumed_at_step", saved ? state.step : 0},
                            {"data", objective->describe()}};
    sink.event(start);
    // How many training labels came from people (the Results view's rm_accuracy table).
    if (!saved && start["data"].contains("human_labelled_pairs"))
        sink.metric(0, jobs::metrics::kDataHumanLabelledPairs,
                    start["data"]["human_labelled_pairs"].get<double>());

    const LrSchedule schedule{spec.lr, spec.warmupSteps, spec.steps, spec.minLrRatio};
    jobs::UnitStream stream(objective->trainingUnits(), spec.seed);
    RmTrainResult result;
    result.runId = state.runId;
    result.resumed = saved.has_value();
    result.checkpoint = out;
    // A spent time budget ends the run like its last step (the budgeted runs of a sweep); a
    // cancel or a test's stop pauses it with its state saved for --resume.
    const jobs::RunBudget budget(spec.steps, spec.timeLimitSeconds, state.seconds,
                                 spec.checkpointEvery);
    jobs::StepEnd end;
    try {
        while (budget.more(state.step)) {
            const auto stepStart = Clock::now();
            const double lr = budget.timed() ? schedule.atProgress(state.step, budget.progress())
                                             : schedule.at(state.step);
            setLearningRate(optimizer, lr);
            optimizer.zero_grad();
            double lossSum = 0.0;
            int correct = 0, judged = 0;
            for (int micro = 0; micro < spec.accumulation; ++micro) {
                const std::uint64_t first =
                    (static_cast<std::uint64_t>(state.step) * spec.accumulation + micro) *
                    static_cast<std::uint64_t>(spec.batch);
                std::vector<size_t> units;
                for (int i = 0; i < spec.batch; ++i)
                    units.push_back(stream.at(first + static_cast<std::uint64_t>(i)));
                StepLoss part = objective->loss(*rm, units, first ^ spec.seed);
                (part.loss / spec.accumulation).backward();
                lossSum += part.loss.item<double>();
                correct += part.correct;
                judged += part.judged;
            }
            if (spec.clipNorm > 0)
                torch::nn::utils::clip_grad_norm_(trained, spec.clipNorm);
            optimizer.step();
            ++state.step;
            const double stepSeconds =
                std::chrono::duration<double>(Clock::now() - stepStart).count();
            const double loss = lossSum / spec.accumulation;
            if (!std::isfinite(loss))
                throw Error(ErrorKind::Internal, "the loss became " + std::to_string(loss) +
                                                     " at step " + std::to_string(state.step) +
                                                     "; lower lr or raise clip_norm");
            const double examplesPerSecond = spec.batch * spec.accumulation / stepSeconds;
            sink.metric(state.step, jobs::metrics::kTrainLoss, loss);
            sink.metric(state.step, jobs::metrics::kTrainLr, lr);
            sink.metric(state.step, jobs::metrics::kTrainExamplesPerSecond, examplesPerSecond);
            if (judged)
                sink.metric(state.step, jobs::metrics::kTrainAccuracy, double(correct) / judged);
            state.seconds = budget.elapsed();
            end = budget.after(state.step, control.cancelled && control.cancelled(),
                               control.stopAfterStep);
            if (state.step % budget.logEvery() == 0 || end.last)
                sink.event({{"event", jobs::events::kProgress},
                            {"step", state.step},
                            {"steps", spec.steps},
                            {"fraction", budget.fraction(state.step)},
                            {"loss", loss},
                            {"accuracy",
                             judged ? nlohmann::json(double(correct) / judged) : nlohmann::json()},
                            {"lr", lr},
                            {"examples_per_s", examplesPerSecond},
                            {"elapsed_s", state.seconds}});

            if (spec.evalEvery > 0 && objective->validationUnits() > 0 &&
                (state.step % spec.evalEvery == 0 || end.last)) {
                const nlohmann::json report = objective->validate(*rm);
                const double accuracy = report.at("accuracy").get<double>();
                const double selection =
                    report.contains("selection") ? report["selection"].get<double>() : accuracy;
                sink.metric(state.step, jobs::metrics::kValAccuracy, accuracy);
                for (const char* extra :
                     {"consistency", "calibration_error", "loss", "cell_accuracy"})
                    if (report.contains(extra) && report[extra].is_number())
                        sink.metric(state.step, std::string(jobs::metrics::kVal) + extra,
                                    report[extra].get<double>());
                if (report.contains("accuracy_by_kind")) // grounding: one curve per skill
                    for (const auto& [kind, value] : report["accuracy_by_kind"].items())
                        sink.metric(state.step, jobs::metrics::kValAccuracyOf + kind,
                                    value.get<double>());
                sink.event({{"event", jobs::events::kValidation},
                            {"step", state.step},
                            {"report", report}});
                if (!state.bestValidation.is_object() || selection > state.bestSelection) {
                    state.bestSelection = selection;
                    state.bestValidation = report;
                    state.evaluationsWithoutGain = 0;
                    rm->save(out, {{"step", std::to_string(state.step)}});
                } else if (spec.patience > 0 && ++state.evaluationsWithoutGain >= spec.patience) {
                    end = {true, false, true, "early_stopping"};
                }
            }
            sink.flush();
            if (end.saveState)
                saveState(stateFolder, *rm, *objective, optimizer, state, spec);
            if (end.stop)
                break;
        }
    } catch (...) {
        sink.flush();
        ws.runs().setStatus(state.runId, store::RunStatus::Failed);
        throw;
    }

    result.steps = state.step;
    result.seconds = state.seconds;
    result.stopReason = end.reason;
    result.validation = state.bestValidation;
    result.finished = jobs::isFinished(end.reason);
    if (result.finished && !state.bestValidation.is_object()) // no validation: the last weights
        rm->save(out, {{"step", std::to_string(state.step)}});
    jobs::endRun(ws, sink, state.runId, out, stateFolder, end.reason, state.step, state.seconds,
                 {{"best_validation", state.bestValidation}, {"spec", toJson(spec)}},
                 {{"checkpoint", out.string()}, {"validation", state.bestValidation}});
    return result;
}

} // namespace rd::reward
