#include "training/training_run.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "compute/thread_governor.h"
#include "jobs/event_sink.h"
#include "jobs/job_names.h"
#include "jobs/run_budget.h"
#include "jobs/run_lease.h"
#include "jobs/state_folder.h"
#include "store/run_repository.h"
#include "store/workspace.h"

#include <torch/torch.h>

#include <chrono>

namespace rd::training {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kStateFolder = "train_state";
constexpr const char* kStateFile = "state.json";
constexpr const char* kOptimizerFile = "optimizer.pt";

// What the harness itself keeps across sessions of a run.
struct RunState {
    std::int64_t step = 0;
    double seconds = 0.0;
    store::RowId runId = 0;
};

void setLearningRate(torch::optim::AdamW& optimizer, double lr) {
    for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
}

} // namespace

struct TrainingRun::Parts {
    compute::ThreadGovernor threads;
    jobs::OutFolderClaim claim;
    jobs::EventSink earlySink;
};

TrainingRun::TrainingRun(store::Workspace& ws, RunSettings settings, std::ostream* events,
                         const jobs::TrainControl& control)
    : m_ws(ws), m_settings(std::move(settings)), m_events(events), m_control(control) {
    m_parts.reset(new Parts{
        compute::ThreadGovernor(m_settings.threads),
        jobs::OutFolderClaim(m_settings.out, kStateFolder, m_settings.finishedFile, control.resume),
        jobs::EventSink(events, nullptr, 0)});
    if (saved())
        m_savedFields = jobs::readSavedState(*saved() / kStateFile, m_settings.spec);
}

TrainingRun::~TrainingRun() = default;

int TrainingRun::threads() const {
    return m_parts->threads.threads();
}

const std::optional<fs::path>& TrainingRun::saved() const {
    return m_parts->claim.saved();
}

jobs::EventSink& TrainingRun::earlySink() {
    return m_parts->earlySink;
}

jobs::RunOutcome TrainingRun::train(Trainer& trainer) {
    const bool resumed = saved().has_value();
    RunState state;
    if (resumed) {
        state.step = m_savedFields.at("step").get<std::int64_t>();
        state.seconds = m_savedFields.at("seconds").get<double>();
        state.runId = m_savedFields.at("run_id").get<store::RowId>();
    }
    const std::vector<at::Tensor> parameters = trainer.parameters(); // optimised and clipped
    torch::optim::AdamW optimizer(parameters, torch::optim::AdamWOptions(m_settings.schedule.peak)
                                                  .weight_decay(m_settings.weightDecay)
                                                  .betas({0.9, m_settings.beta2}));
    if (resumed)
        torch::load(optimizer, (*saved() / kOptimizerFile).string());
    if (!resumed)
        state.runId = m_ws.runs().create(m_settings.kind, m_settings.spec.dump());
    // Marks the run running; held until this function returns, after its final status is set.
    const jobs::RunLease lease(m_ws, state.runId);
    m_parts->claim.keep();
    jobs::EventSink sink(m_events, &m_ws, state.runId);

    const fs::path stateFolder = m_settings.out / kStateFolder;
    const auto saveState = [&] {
        jobs::StateFolder(stateFolder).replace([&](const fs::path& tmp) {
            nlohmann::json fields = nlohmann::json::object();
            trainer.saveState(tmp, fields);
            torch::save(optimizer, (tmp / kOptimizerFile).string());
            fields.update({{"step", state.step},
                           {"seconds", state.seconds},
                           {"run_id", state.runId},
                           {"spec", m_settings.spec}});
            writeFileAtomically(tmp / kStateFile, [&](std::ostream& o) { o << fields.dump(2); });
        });
    };

    const jobs::RunBudget budget(m_settings.steps, m_settings.timeLimitSeconds, state.seconds,
                                 m_settings.checkpointEvery);
    jobs::StepEnd end;
    try {
        nlohmann::json start = {{"event", jobs::events::kStart},
                                {"run_id", state.runId},
                                {"kind", m_settings.kind},
                                {"threads", threads()},
                                {"resumed_at_step", state.step}};
        start.update(trainer.startFields());
        sink.event(start);
        trainer.started(sink);

        while (budget.more(state.step)) {
            const auto stepStart = Clock::now();
            const double lr = budget.timed()
                                  ? m_settings.schedule.atProgress(state.step, budget.progress())
                                  : m_settings.schedule.at(state.step);
            setLearningRate(optimizer, lr);
            optimizer.zero_grad();
            StepFigures figures = trainer.step(state.step);
            if (m_settings.clipNorm > 0)
                torch::nn::utils::clip_grad_norm_(parameters, m_settings.clipNorm);
            optimizer.step();
            trainer.updated(state.step);
            ++state.step;
            if (!std::isfinite(figures.loss))
                throw Error(ErrorKind::Internal, "the loss became " + std::to_string(figures.loss) +
                                                     " at step " + std::to_string(state.step) +
                                                     "; lower lr or raise clip_norm");
            const double stepSeconds =
                std::chrono::duration<double>(Clock::now() - stepStart).count();
            sink.metric(state.step, jobs::metrics::kTrainLoss, figures.loss);
            sink.metric(state.step, jobs::metrics::kTrainLr, lr);
            nlohmann::json progress = {{"event", jobs::events::kProgress},
                                       {"step", state.step},
                                       {"steps", m_settings.steps},
                                       {"fraction", 0.0},
                                       {"loss", figures.loss},
                                       {"lr", lr},
                                       {"seconds_per_step", stepSeconds}};
            if (figures.examples > 0) {
                const double examplesPerSecond = figures.examples / stepSeconds;
                sink.metric(state.step, jobs::metrics::kTrainExamplesPerSecond, examplesPerSecond);
                progress["examples_per_s"] = examplesPerSecond;
            }
            for (const auto& [name, value] : figures.metrics)
                sink.metric(state.step, name, value);
            // threads 0: one per free core, followed as other processes come and go.
            if (const std::optional<int> changed = m_parts->threads.check()) {
                sink.metric(state.step, jobs::metrics::kTrainThreads, *changed);
                sink.event({{"event", jobs::events::kThreads},
                            {"step", state.step},
                            {"threads", *changed}});
            }
            state.seconds = budget.elapsed();
            end = budget.after(state.step, m_control.cancelled && m_control.cancelled(),
                               m_control.stopAfterStep);
            if (state.step % budget.logEvery() == 0 || end.last) {
                progress["fraction"] = budget.fraction(state.step);
                progress["elapsed_s"] = state.seconds;
                progress.update(figures.progress);
                sink.event(progress);
            }
            if (m_settings.evalEvery > 0 && trainer.validates() &&
                (state.step % m_settings.evalEvery == 0 || end.last)) {
                const Validation validation = trainer.validate(state.step, sink);
                sink.event({{"event", jobs::events::kValidation},
                            {"step", state.step},
                            {"report", validation.report}});
                if (validation.stopEarly)
                    end = {true, false, true, "early_stopping"};
            }
            sink.flush();
            if (end.saveState)
                saveState();
            if (end.stop)
                break;
        }
        trainer.finish(jobs::isFinished(end.reason), state.step);
    } catch (...) {
        sink.flush();
        m_ws.runs().setStatus(state.runId, store::RunStatus::Failed);
        throw;
    }

    nlohmann::json summary = trainer.summary();
    summary["spec"] = m_settings.spec;
    jobs::endRun(m_ws, sink, state.runId, m_settings.out, stateFolder, end.reason, state.step,
                 state.seconds, summary, trainer.doneFields());
    jobs::RunOutcome outcome;
    outcome.runId = state.runId;
    outcome.steps = state.step;
    outcome.seconds = state.seconds;
    outcome.resumed = resumed;
    outcome.finished = jobs::isFinished(end.reason);
    outcome.stopReason = end.reason;
    return outcome;
}

} // namespace rd::training
