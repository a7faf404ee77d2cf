// The Train view's jobs: a form's answers become a typed job spec in the workspace's jobs/ folder
// and an `rdance` command; the queue runs jobs one after another, follows a timed run's progress,
// reports a refused spec as failed with rdance's message, and cancelling the running training
// pauses it with its resumable state saved and the run marked cancelled, after which the next
// queued job still runs. A training killed with SIGKILL is marked failed by the Runs view, not
// left "running", while a live one is left alone and cannot be run twice.
#include "common/error.h"
#include "fixtures.h"
#include "jobs/run_lease.h"
#include "process_runner.h"
#include "store/run_locks.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "study_workspace.h"
#include "ui/job_kinds.h"
#include "ui/job_queue.h"
#include "ui/outside_runs.h"
#include "ui/runs_view.h"
#include "ui/train_view.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <fstream>

using namespace rd;

namespace {

std::vector<QVariant> defaults(const ui::JobKind& kind) {
    std::vector<QVariant> values;
    for (const auto& field : kind.fields)
        values.push_back(field.value);
    return values;
}

void set(const ui::JobKind& kind, std::vector<QVariant>& values, const QString& key,
         const QVariant& value) {
    for (size_t i = 0; i < kind.fields.size(); ++i)
        if (kind.fields[i].key == key) {
            values[i] = value;
            return;
        }
    QFAIL(qPrintable("no field " + key));
}

bool logHas(const ui::QueuedJob* job, const QString& text) {
    return job && job->log.join('\n').contains(text);
}

} // namespace

class TrainViewTest : public QObject {
    Q_OBJECT

private slots:
    void formsBecomeSpecsAndOptions() {
        const ui::JobKind& rm = ui::jobKind("rm_train");
        auto values = defaults(rm);
        QVERIFY(ui::missingFields(rm, values).isEmpty()); // "out" has a default
        set(rm, values, "out", "");
        QVERIFY(ui::missingFields(rm, values).contains("Output folder"));
        set(rm, values, "out", "models/x");
        set(rm, values, "steps", 7);
        set(rm, values, "with_reference", false);
        set(rm, values, "grounding_caption", "places");
        QVERIFY(!ui::specOf(rm, values).contains("grounding_kinds")); // empty: all skills
        set(rm, values, "grounding_kinds", " caption  location ");
        const QJsonObject spec = ui::specOf(rm, values);
        QCOMPARE(spec.value("grounding_caption").toString(), QString("places"));
        QCOMPARE(spec.value("grounding_kinds").toArray(), (QJsonArray{"caption", "location"}));
        QCOMPARE(spec.value("steps").toInt(), 7);
        QVERIFY(spec.value("steps").isDouble());
        QCOMPARE(spec.value("with_reference").toBool(true), false);
        QVERIFY(!spec.contains("backbone")); // an empty optional path keeps the default
        QCOMPARE(ui::argumentsOf(rm, values, "/ws/jobs/a.json"),
                 (QStringList{"--config", "/ws/jobs/a.json"}));

        const ui::JobKind& sweep = ui::jobKind("rm_sweep");
        auto sweepValues = defaults(sweep);
        set(sweep, sweepValues, "preset", "rd-xs rd-s");
        set(sweep, sweepValues, "no-ablations", true);
        const QStringList args = ui::argumentsOf(sweep, sweepValues, {});
        QVERIFY(args.join(' ').startsWith("--preset rd-xs --preset rd-s"));
        QVERIFY(args.contains("--no-ablations"));
    }

    // A training started by rdance in a terminal shows under the queue while it runs, with its
    // step and budget, and leaves the list when it ends.
    void runsStartedOutsideShowWhileTheyRun() {
        test::ScratchDir dir;
        auto ws = test::studyWorkspace(dir / "ws");
        const QString folder = QString::fromStdString(ws->folder().string());
        ui::TrainView view(*ws, RDANCE_BIN);
        const ui::OutsideRuns& outside = *view.outsideRuns();
        QVERIFY(outside.lines().isEmpty());
        const auto spec = dir / "outside.json";
        std::ofstream(spec) << R"({"out": "models/outside", "preset": "rd-xs", "steps": 0,
            "time_limit_s": 600, "batch": 4, "eval_every": 0})";
        QProcess rdance;
        rdance.start(RDANCE_BIN,
                     {"rm", "train", folder, "--config", QString::fromStdString(spec.string())});
        QTRY_VERIFY_WITH_TIMEOUT(outside.lines().join('\n').contains("step"), 180000);
        const QString line = outside.lines().value(0);
        QVERIFY2(line.startsWith("rm_train #") && line.contains("outside") &&
                     line.contains("600 s budget") && line.contains("loss"),
                 qPrintable(line));
        rdance.terminate(); // SIGTERM: the run pauses, its lease goes
        QVERIFY(rdance.waitForFinished(60000));
        QTRY_VERIFY_WITH_TIMEOUT(outside.lines().isEmpty(), 10000);
    }

    void queueRunsFailsAndCancels() {
        test::ScratchDir dir;
        auto ws = test::studyWorkspace(dir / "ws");
        const QString folder = QString::fromStdString(ws->folder().string());
        ui::TrainView view(*ws, RDANCE_BIN);
        ui::JobQueue& queue = *view.queue();

        // A spec with a field rdance does not know: the job fails with the field named.
        const auto bad = dir / "bad.json";
        std::ofstream(bad) << R"({"out": "models/bad", "colour": 1})";
        const int failing = queue.enqueue(
            "bad spec", {"rm", "train", folder, "--config", QString::fromStdString(bad.string())});

        // A timed RM training through the form, cancelled once it reports progress.
        const ui::JobKind& rm = ui::jobKind("rm_train");
        auto values = defaults(rm);
        set(rm, values, "out", "models/cancelled");
        set(rm, values, "preset", "rd-xs");
        set(rm, values, "steps", 0);
        set(rm, values, "time_limit_s", 600.0);
        set(rm, values, "batch", 4);
        set(rm, values, "eval_every", 0);
        const int training = view.submit(rm, values);
        const int after = queue.enqueue("info", {"info", folder});
        QVERIFY(queue.job(training)->state == ui::JobState::Queued); // one at a time

        QTRY_VERIFY_WITH_TIMEOUT(queue.job(failing)->state == ui::JobState::Failed, 60000);
        QVERIFY2(logHas(queue.job(failing), "colour"),
                 qPrintable(queue.job(failing)->log.join('\n')));

        QTRY_VERIFY_WITH_TIMEOUT(logHas(queue.job(training), "\"event\":\"progress\""), 180000);
        QVERIFY(queue.job(training)->state == ui::JobState::Running);
        QCOMPARE(queue.job(training)->runIds.size(), qsizetype(1));
        view.outsideRuns()->refresh(); // the studio's own training is not "outside"
        QVERIFY(view.outsideRuns()->lines().isEmpty());
        QVERIFY(queue.job(training)->fraction > 0.0);
        QVERIFY(queue.job(training)->secondsLeft > 0.0);
        queue.cancel(training);
        QTRY_VERIFY_WITH_TIMEOUT(queue.job(training)->state == ui::JobState::Cancelled, 60000);
        QCOMPARE(queue.job(training)->exitCode, 0); // it stopped itself, not killed
        QVERIFY(logHas(queue.job(training), "\"event\":\"paused\""));
        QVERIFY(std::filesystem::exists(ws->folder() / "models/cancelled/train_state"));
        bool cancelledRun = false;
        for (const auto& run : ws->runs().list())
            cancelledRun |= run.kind == "rm_train" && run.status == store::RunStatus::Cancelled;
        QVERIFY(cancelledRun);

        // The spec the form wrote is in jobs/, typed.
        const auto jobs = std::filesystem::directory_iterator(ws->folder() / "jobs");
        const auto specFile = jobs->path();
        std::ifstream in(specFile);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        const QJsonObject spec = QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
        QCOMPARE(spec.value("preset").toString(), QString("rd-xs"));
        QCOMPARE(spec.value("time_limit_s").toDouble(), 600.0);

        QTRY_VERIFY_WITH_TIMEOUT(queue.job(after)->state == ui::JobState::Done, 60000);
    }

    void aKilledTrainingIsMarkedFailed() {
        test::ScratchDir dir;
        auto ws = test::studyWorkspace(dir / "ws");
        const auto spec = dir / "rm.json";
        std::ofstream(spec) << R"({"out": "models/killed", "preset": "rd-xs", "steps": 0,
                                  "time_limit_s": 600, "batch": 4, "eval_every": 0})";
        QProcess training;
        training.start(RDANCE_BIN,
                       {"rm", "train", test::qpath(ws->folder()), "--config", test::qpath(spec)});
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT(
            (out += training.readAllStandardOutput()).contains("\"event\":\"progress\""), 180000);
        store::RowId run = 0;
        for (const auto& r : ws->runs().list())
            if (r.kind == "rm_train")
                run = r.id;
        QVERIFY(run != 0);

        // Alive: the view leaves it running, and nobody else may run it at the same time.
        ui::RunsView view(*ws);
        QVERIFY(ws->runs().get(run)->status == store::RunStatus::Running);
        QVERIFY(store::runIsHeld(ws->folder(), run));
        QVERIFY_EXCEPTION_THROWN(jobs::RunLease(*ws, run), Error);

        training.kill(); // SIGKILL: the process cannot mark its run
        QVERIFY(training.waitForFinished(30000));
        QVERIFY(ws->runs().get(run)->status == store::RunStatus::Running);
        view.refresh();
        QVERIFY(ws->runs().get(run)->status == store::RunStatus::Failed);
        QVERIFY(!store::runIsHeld(ws->folder(), run));
    }
};

QTEST_MAIN(TrainViewTest)
#include "test_train_view.moc"
