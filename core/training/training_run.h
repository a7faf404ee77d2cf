// The harness every trainer runs on (RM training, generator SFT, ReFL): it claims the out folder,
// opens the run row and its lease, reports events and metrics, keeps the resumable state (its
// own fields and the trainer's), schedules the learning rate, steps the AdamW optimiser, stops on
// the budget, a cancel or early stopping, marks a failed run failed, and ends the run. A trainer
// supplies only its model, its step, its validation and the state of its own.
//
// Usage (the trainers):
//   TrainingRun run(ws, settings, events, control); // threads, out folder, saved state
//   MyTrainer trainer(ws, spec, run);               // builds or loads its model (run.saved())
//   const jobs::RunOutcome outcome = run.train(trainer);
// or, the same in one call: runTrainer<MyTrainer>(ws, spec, settings, events, control).
#pragma once

#include "jobs/train_control.h"
#include "training/lr_schedule.h"

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rd::store {
class Workspace;
}
namespace rd::jobs {
class EventSink;
}

namespace rd::training {

// What every trainer's spec says of its run.
struct RunSettings {
    std::string kind;          // the run row's kind: "rm_train", "rm_grounding", "gen_train", ...
    nlohmann::json spec;       // the job spec as JSON: stored with the run, checked on resume
    std::filesystem::path out; // the out folder
    std::string finishedFile;  // what a finished run leaves there (model.safetensors, ...)
    int threads = 0;           // 0: one per free core, followed while it runs
    std::int64_t steps = 0;    // 0: the run lasts timeLimitSeconds
    double timeLimitSeconds = 0.0;
    std::int64_t checkpointEvery = 0;
    std::int64_t evalEvery = 0; // 0: never validate
    LrSchedule schedule;
    double weightDecay = 0.0;
    double beta2 = 0.999;
    double clipNorm = 0.0; // 0: no clipping
};

// The settings read from a spec with the fields every trainer's spec has (steps, time_limit_s,
// checkpoint_every, eval_every, threads and the AdamW block, SpecFields::adamW).
template <class Spec>
RunSettings runSettingsOf(const Spec& spec, std::string kind, std::filesystem::path out,
                          std::string finishedFile, nlohmann::json specJson) {
    RunSettings s;
    s.kind = std::move(kind);
    s.spec = std::move(specJson);
    s.out = std::move(out);
    s.finishedFile = std::move(finishedFile);
    s.threads = spec.threads;
    s.steps = spec.steps;
    s.timeLimitSeconds = spec.timeLimitSeconds;
    s.checkpointEvery = spec.checkpointEvery;
    s.evalEvery = spec.evalEvery;
    s.schedule = {spec.lr, spec.warmupSteps, spec.steps, spec.minLrRatio};
    s.weightDecay = spec.weightDecay;
    s.clipNorm = spec.clipNorm;
    return s;
}

// What one step reports beside its loss.
struct StepFigures {
    double loss = 0.0; // the step's mean loss (a non-finite one fails the run)
    int examples = 0;  // > 0: examples per second are reported
    std::vector<std::pair<std::string, double>> metrics; // stored at this step
    nlohmann::json progress = nlohmann::json::object();  // added to the progress events
};

struct Validation {
    nlohmann::json report;  // the validation event's report
    bool stopEarly = false; // no gain for too long: end the run
};

class Trainer {
public:
    virtual ~Trainer() = default;
    // What the optimiser trains.
    virtual std::vector<at::Tensor> parameters() = 0;
    // The start event's fields beside run_id, kind, threads and resumed_at_step.
    virtual nlohmann::json startFields() = 0;
    // Once the run is open, before the first step (work that reports events: references, ...).
    virtual void started(jobs::EventSink&) {}
    // Step `step` (0-based): the loss's gradients, backward() done; the harness steps.
    virtual StepFigures step(std::int64_t step) = 0;
    // After the optimiser's step (an EMA follows the weights here).
    virtual void updated(std::int64_t) {}
    virtual bool validates() const { return false; }
    // After `stepsDone` steps, every eval_every and at the last; metrics go to the sink.
    virtual Validation validate(std::int64_t, jobs::EventSink&) { return {}; }
    // The resumable state of its own: files into `folder`, fields into `fields` (state.json).
    virtual void saveState(const std::filesystem::path& folder, nlohmann::json& fields) = 0;
    // The run ended (finished: its budget is spent, not paused): write the final weights.
    virtual void finish(bool finished, std::int64_t steps) = 0;
    // training.json's fields beside steps, seconds and spec; the done event's beside run_id,
    // steps, seconds and stop_reason.
    virtual nlohmann::json summary() const = 0;
    virtual nlohmann::json doneFields() const = 0;
};

class TrainingRun {
public:
    // Sets the thread count and claims the out folder (jobs::OutFolderClaim): with resume, its
    // saved state is read and checked against the spec. Throws rd::Error naming the folder.
    TrainingRun(store::Workspace& ws, RunSettings settings, std::ostream* events,
                const jobs::TrainControl& control);
    ~TrainingRun();
    TrainingRun(const TrainingRun&) = delete;
    TrainingRun& operator=(const TrainingRun&) = delete;

    // The thread count in force (threads 0: one per free core, re-checked while it runs).
    int threads() const;
    const std::filesystem::path& out() const { return m_settings.out; }
    // The saved state folder a resumed run continues from, and its state.json (the trainer's
    // fields included); none for a new run.
    const std::optional<std::filesystem::path>& saved() const;
    const nlohmann::json& savedFields() const { return m_savedFields; }
    // Events before the run opens (a tokenizer trained): lines only, no stored metrics.
    jobs::EventSink& earlySink();

    // Opens the run and trains until the budget is spent, a cancel or early stopping; then the
    // trainer's finish(), training.json and the run's last event. Rethrows a failure after
    // marking the run failed.
    jobs::RunOutcome train(Trainer& trainer);

private:
    struct Parts;
    store::Workspace& m_ws;
    RunSettings m_settings;
    std::ostream* m_events;
    jobs::TrainControl m_control;
    nlohmann::json m_savedFields;
    std::unique_ptr<Parts> m_parts;
};

// A trainer of type T, built as T(ws, spec, run), run to its end on a harness: what the trainers'
// entry functions do. T::result(outcome) makes the trainer's own result from the run's outcome.
template <class T, class Spec>
auto runTrainer(store::Workspace& ws, const Spec& spec, RunSettings settings, std::ostream* events,
                const jobs::TrainControl& control) {
    TrainingRun run(ws, std::move(settings), events, control);
    T trainer(ws, spec, run);
    return trainer.result(run.train(trainer));
}

} // namespace rd::training
