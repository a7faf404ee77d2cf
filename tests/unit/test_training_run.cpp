// The training harness every trainer runs on (core/training/training_run.h), driven by a tiny
// trainer that fits a line: the run row's life (done, paused, failed), the learning-rate
// schedule it applies, resume to the same weights, early stopping, and what it writes; and the
// thread count that leaves out the cores other processes keep busy.
#include "common/error.h"
#include "compute/machine_load.h"
#include "compute/thread_governor.h"
#include "jobs/event_sink.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "training/training_run.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace rd;
namespace fs = std::filesystem;

namespace {

// Fits y = 3x - 1 on 8 fixed points; counts its steps in its own state to check it round-trips.
class LineTrainer : public training::Trainer {
public:
    explicit LineTrainer(training::TrainingRun& run) : m_run(run) {
        m_weights = torch::zeros({2}, torch::kDouble).set_requires_grad(true);
        if (const auto& saved = run.saved()) {
            torch::NoGradGuard noGrad;
            at::Tensor loaded;
            torch::load(loaded, (*saved / "line.pt").string());
            m_weights.copy_(loaded);
            m_stepsSeen = run.savedFields().at("steps_seen").get<int>();
        }
    }

    std::vector<at::Tensor> parameters() override { return {m_weights}; }
    nlohmann::json startFields() override { return {{"line", "y = 3x - 1"}}; }
    training::StepFigures step(std::int64_t step) override {
        ++m_stepsSeen;
        const at::Tensor x = torch::linspace(-1.0, 1.0, 8, torch::kDouble);
        const at::Tensor loss = (m_weights[0] * x + m_weights[1] - (3.0 * x - 1.0)).pow(2).mean();
        loss.backward();
        training::StepFigures figures;
        figures.loss = failAtStep >= 0 && step == failAtStep ? NAN : loss.item<double>();
        figures.examples = 8;
        figures.metrics = {{"line/bias", m_weights[1].item<double>()}};
        return figures;
    }
    bool validates() const override { return true; }
    training::Validation validate(std::int64_t step, jobs::EventSink& sink) override {
        sink.metric(step, "val/line", 1.0);
        return {{{"step_validated", step}}, stopEarlyAt > 0 && step >= stopEarlyAt};
    }
    void saveState(const fs::path& folder, nlohmann::json& fields) override {
        torch::save(m_weights.detach().clone(), (folder / "line.pt").string());
        fields["steps_seen"] = m_stepsSeen;
    }
    void finish(bool finished, std::int64_t steps) override {
        finishedWith = finished;
        if (finished)
            std::ofstream(m_run.out() / "line.txt") << steps;
    }
    nlohmann::json summary() const override { return {{"steps_seen", m_stepsSeen}}; }
    nlohmann::json doneFields() const override { return {{"line_file", "line.txt"}}; }

    at::Tensor weights() const { return m_weights.detach().clone(); }
    int stepsSeen() const { return m_stepsSeen; }

    std::int64_t failAtStep = -1;
    std::int64_t stopEarlyAt = 0;
    std::optional<bool> finishedWith;

private:
    training::TrainingRun& m_run;
    at::Tensor m_weights;
    int m_stepsSeen = 0;
};

training::RunSettings lineSettings(const fs::path& out, std::int64_t steps) {
    training::RunSettings s;
    s.kind = "line_fit";
    s.spec = {{"steps", steps}, {"lr", 0.1}};
    s.out = out;
    s.finishedFile = "line.txt";
    s.threads = 1;
    s.steps = steps;
    s.checkpointEvery = 5;
    s.evalEvery = 5;
    s.schedule = {0.1, 5, steps, 0.1};
    return s;
}

std::vector<nlohmann::json> eventLines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(nlohmann::json::parse(line));
    return lines;
}

} // namespace

class TestTrainingRun : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::Workspace> m_ws;

private slots:
    void init() {
        QVERIFY(m_dir.isValid());
        m_ws = store::Workspace::create(fs::path(m_dir.path().toStdString()) /
                                        QTest::currentTestFunction());
    }

    void aRunLearnsWithTheScheduleAndEndsDone() {
        const fs::path out = m_ws->folder() / "runs/line";
        std::ostringstream events;
        training::TrainingRun run(*m_ws, lineSettings(out, 60), &events, {});
        LineTrainer trainer(run);
        const jobs::RunOutcome outcome = run.train(trainer);

        QCOMPARE(outcome.steps, std::int64_t(60));
        QVERIFY(outcome.finished);
        QCOMPARE(outcome.stopReason, std::string("steps"));
        QVERIFY(trainer.finishedWith == std::optional<bool>(true));
        QVERIFY(m_ws->runs().get(outcome.runId)->status == store::RunStatus::Done);
        QVERIFY(fs::exists(out / "line.txt"));
        QVERIFY(!fs::exists(out / "train_state")); // a finished run keeps no resumable state

        // It learns: the loss falls twentyfold.
        const auto losses = m_ws->runs().metrics(outcome.runId, "train/loss");
        QCOMPARE(losses.size(), size_t(60));
        QVERIFY2(
            losses.back().value < losses.front().value / 20,
            qPrintable(QString("%1 -> %2").arg(losses.front().value).arg(losses.back().value)));
        // The rate of each step is the schedule's (step k's metric is stored at k + 1).
        const training::LrSchedule schedule{0.1, 5, 60, 0.1};
        const auto rates = m_ws->runs().metrics(outcome.runId, "train/lr");
        for (const std::int64_t step : {0, 3, 4, 30, 59})
            QCOMPARE(rates[static_cast<size_t>(step)].value, schedule.at(step));
        QCOMPARE(m_ws->runs().metrics(outcome.runId, "line/bias").size(), size_t(60));
        QCOMPARE(m_ws->runs().metrics(outcome.runId, "val/line").size(), size_t(12));

        const auto lines = eventLines(events.str());
        QCOMPARE(lines.front()["event"].get<std::string>(), std::string("start"));
        QCOMPARE(lines.front()["kind"].get<std::string>(), std::string("line_fit"));
        QCOMPARE(lines.front()["line"].get<std::string>(), std::string("y = 3x - 1"));
        QCOMPARE(lines.back()["event"].get<std::string>(), std::string("done"));
        QCOMPARE(lines.back()["line_file"].get<std::string>(), std::string("line.txt"));
        int validations = 0;
        for (const auto& line : lines)
            if (line["event"] == "progress")
                QVERIFY(line.contains("fraction") && line.contains("examples_per_s"));
            else if (line["event"] == "validation")
                ++validations;
        QCOMPARE(validations, 12);

        nlohmann::json summary;
        std::ifstream(out / "training.json") >> summary;
        QCOMPARE(summary["steps"].get<int>(), 60);
        QCOMPARE(summary["steps_seen"].get<int>(), 60);
        QCOMPARE(summary["spec"]["lr"].get<double>(), 0.1);
    }

    void aResumedRunEndsWithTheSameWeights() {
        const fs::path whole = m_ws->folder() / "runs/whole";
        training::TrainingRun straight(*m_ws, lineSettings(whole, 23), nullptr, {});
        LineTrainer uninterrupted(straight);
        straight.train(uninterrupted);

        const fs::path split = m_ws->folder() / "runs/split";
        jobs::TrainControl pause;
        pause.stopAfterStep = 9;
        store::RowId runId = 0;
        {
            training::TrainingRun first(*m_ws, lineSettings(split, 23), nullptr, pause);
            LineTrainer trainer(first);
            const jobs::RunOutcome outcome = first.train(trainer);
            QVERIFY(!outcome.finished);
            QCOMPARE(outcome.steps, std::int64_t(9));
            QVERIFY(trainer.finishedWith == std::optional<bool>(false));
            QVERIFY(!fs::exists(split / "line.txt"));
            QVERIFY(fs::exists(split / "train_state/state.json"));
            runId = outcome.runId;
        }
        jobs::TrainControl resume;
        resume.resume = true;
        training::TrainingRun second(*m_ws, lineSettings(split, 23), nullptr, resume);
        LineTrainer trainer(second);
        QCOMPARE(trainer.stepsSeen(), 9); // the trainer's own state came back
        const jobs::RunOutcome outcome = second.train(trainer);
        QVERIFY(outcome.resumed);
        QCOMPARE(outcome.runId, runId);
        QCOMPARE(outcome.steps, std::int64_t(23));
        QCOMPARE(trainer.stepsSeen(), 23);
        QVERIFY(torch::equal(trainer.weights(), uninterrupted.weights()));

        // A resume with another spec is refused, naming the state file.
        training::RunSettings other = lineSettings(split, 23);
        other.spec["lr"] = 0.2;
        jobs::TrainControl again = resume;
        const fs::path another = m_ws->folder() / "runs/another";
        pause.stopAfterStep = 2;
        {
            training::TrainingRun paused(*m_ws, lineSettings(another, 23), nullptr, pause);
            LineTrainer t(paused);
            paused.train(t);
        }
        other.out = another;
        try {
            training::TrainingRun refused(*m_ws, other, nullptr, again);
            QFAIL("a changed spec was resumed");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("state.json"), e.what());
        }
    }

    void aNonFiniteLossFailsTheRun() {
        const fs::path out = m_ws->folder() / "runs/nan";
        training::TrainingRun run(*m_ws, lineSettings(out, 20), nullptr, {});
        LineTrainer trainer(run);
        trainer.failAtStep = 6;
        try {
            run.train(trainer);
            QFAIL("a NaN loss did not stop the run");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("at step 7"), e.what());
        }
        const auto runs = m_ws->runs().list();
        QCOMPARE(runs.size(), size_t(1));
        QVERIFY(runs.front().status == store::RunStatus::Failed);
    }

    void earlyStoppingAndCancelEndTheRun() {
        training::TrainingRun run(*m_ws, lineSettings(m_ws->folder() / "runs/early", 40), nullptr,
                                  {});
        LineTrainer trainer(run);
        trainer.stopEarlyAt = 15;
        const jobs::RunOutcome early = run.train(trainer);
        QCOMPARE(early.stopReason, std::string("early_stopping"));
        QVERIFY(early.finished);
        QCOMPARE(early.steps, std::int64_t(15));
        QVERIFY(m_ws->runs().get(early.runId)->status == store::RunStatus::Done);

        jobs::TrainControl control;
        int asked = 0;
        control.cancelled = [&] { return ++asked >= 7; };
        const fs::path out = m_ws->folder() / "runs/cancelled";
        training::TrainingRun cancelledRun(*m_ws, lineSettings(out, 40), nullptr, control);
        LineTrainer cancelledTrainer(cancelledRun);
        const jobs::RunOutcome cancelled = cancelledRun.train(cancelledTrainer);
        QCOMPARE(cancelled.stopReason, std::string("cancelled"));
        QVERIFY(!cancelled.finished);
        QCOMPARE(cancelled.steps, std::int64_t(7));
        QVERIFY(m_ws->runs().get(cancelled.runId)->status == store::RunStatus::Cancelled);
        QVERIFY(fs::exists(out / "train_state/state.json")); // saved, to be resumed
    }

    // "One per core" leaves out the cores other processes keep busy (compute/machine_load.h).
    void threadsLeaveBusyCoresOut() {
        QCOMPARE(compute::procsRunning("cpu  1 2 3\nctxt 99\nprocs_running 3\nprocs_blocked 0\n"),
                 std::optional<int>(3));
        QVERIFY(!compute::procsRunning("cpu  1 2 3\n").has_value());
        QCOMPARE(compute::threadsForFreeCores(2, 0), 2);
        QCOMPARE(compute::threadsForFreeCores(2, 1), 1);
        QCOMPARE(compute::threadsForFreeCores(2, 5), 1);
        QCOMPARE(compute::threadsForFreeCores(16, 3), 13);

        compute::ThreadGovernor fixed(1, std::chrono::seconds(0));
        compute::ThreadGovernor adapting(0, std::chrono::seconds(0));
        const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        const pid_t spinner = ::fork();
        if (spinner == 0) {
            volatile unsigned long spin = 0;
            for (;;)
                spin = spin + 1;
        }
        QVERIFY(spinner > 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // let it take its core
        const int others = compute::otherRunningTasks();
        adapting.check();
        ::kill(spinner, SIGKILL);
        ::waitpid(spinner, nullptr, 0);
        QVERIFY2(others >= 1, qPrintable(QString::number(others)));
        QVERIFY2(adapting.threads() <= std::max(1, cores - 1),
                 qPrintable(QString::number(adapting.threads())));
        QVERIFY(!fixed.check().has_value());
        QCOMPARE(fixed.threads(), 1);
    }
};

QTEST_GUILESS_MAIN(TestTrainingRun)
#include "test_training_run.moc"
