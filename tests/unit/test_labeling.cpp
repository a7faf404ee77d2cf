// The studio's Runs view follows metrics as a job writes them. GSB labeling: the session maps the
// pressed side back to Good/Same/Bad through the item's stored candidate side, orders items per
// annotator, resumes where the annotator stopped and undoes; the Label view does the same when
// driven by key events (offscreen Qt).
#include "common/error.h"
#include "fixtures.h"
#include "label/gsb_report.h"
#include "label/labeling_session.h"
#include "label/study_builder.h"
#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/inspect_query.h"
#include "store/media_repository.h"
#include "store/pair_repository.h"
#include "store/run_repository.h"
#include "store/sqlite_db.h"
#include "store/workspace.h"
#include "study_workspace.h"
#include "ui/label_keys.h"
#include "ui/label_view.h"
#include "ui/runs_view.h"

#include <nlohmann/json.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSettings>
#include <QSlider>
#include <QtTest>
#include <qcustomplot.h>
#include <set>

using namespace rd;
using label::Choice;
using label::LabelingSession;
namespace fs = std::filesystem;

namespace {

constexpr const char* kStudy = test::kStudyName;
using test::studyWorkspace;

store::Verdict expected(Choice c, bool candidateLeft) {
    if (c == Choice::Same)
        return store::Verdict::Same;
    return (c == Choice::Left) == candidateLeft ? store::Verdict::Good : store::Verdict::Bad;
}

} // namespace

class LabelingTest : public QObject {
    Q_OBJECT

private slots:
    // A study between two generators: normal items pair their samples, repeats swap the sides of
    // an earlier pair, honeypots carry the verdict their known winner implies; the report scores
    // honeypots and self-consistency and keeps both out of the G/S/B counts.
    void generatorStudyHasHoneypotsAndRepeats() {
        test::ScratchDir dir;
        auto ws = studyWorkspace(dir / "ws");
        label::StudyOptions o;
        o.name = "clean vs near-miss";
        o.baselineGenerator = "shapeworld-clean";
        o.candidateGenerator = "shapeworld-nearmiss";
        o.maxItems = 8;
        o.honeypotRate = 0.25;
        o.repeatRate = 0.25;
        const label::StudyReport r = label::createGeneratorStudy(*ws, o);
        QCOMPARE(r.items, 8);
        QCOMPARE(r.repeats, 2);
        QCOMPARE(r.honeypots, 2);
        const auto items = ws->gsb().items(r.studyId);
        QCOMPARE(int(items.size()), 12);
        std::map<store::RowId, const store::GsbItemRecord*> normalByPair;
        for (const auto& item : items)
            if (item.role == store::ItemRole::Normal) {
                const auto pair = ws->pairs().get(item.pairId).value();
                QCOMPARE(ws->generations().get(pair.genA)->generator, o.baselineGenerator);
                QCOMPARE(ws->generations().get(pair.genB)->generator, o.candidateGenerator);
                normalByPair[item.pairId] = &item;
            }
        for (const auto& item : items)
            if (item.role == store::ItemRole::Repeat) {
                QVERIFY(normalByPair.count(item.pairId));
                QCOMPARE(item.candidateLeft, !normalByPair[item.pairId]->candidateLeft);
            }
        // The same name again is refused and writes nothing.
        QVERIFY_THROWS_EXCEPTION(Error, label::createGeneratorStudy(*ws, o));
        QCOMPARE(ws->gsb().listStudies().size(), size_t(2));

        // An annotator who picks every honeypot's real winner and answers a repeat the other way.
        auto session = LabelingSession::open(*ws, o.name, "ana");
        std::map<store::RowId, store::ItemRole> roleOf;
        for (const auto& item : items)
            roleOf[item.id] = item.role;
        std::set<store::RowId> seenPairs;
        while (auto item = session.current()) {
            const auto pair = ws->pairs().get(item->pairId).value();
            Choice c = Choice::Left;
            if (roleOf[item->itemId] == store::ItemRole::Honeypot) {
                const auto winner =
                    ws->generations()
                        .get(pair.preferred == store::Preference::A ? pair.genA : pair.genB)
                        .value();
                const auto file = ws->resolveMediaPath(ws->media().get(winner.mediaId)->path);
                c = file == item->left ? Choice::Left : Choice::Right;
            } else if (!seenPairs.insert(item->pairId).second) {
                c = Choice::Same; // the second look at a pair: a different verdict
            }
            session.judge(c, "", 10);
        }
        // The Inspect view puts each honeypot verdict on the side of the pair's real winner.
        store::InspectQuery inspect(ws->database());
        for (const auto& item : items)
            if (item.role == store::ItemRole::Honeypot) {
                const auto verdicts = inspect.humanVerdicts(item.pairId);
                QCOMPARE(verdicts.size(), size_t(1));
                QVERIFY(verdicts[0].side == ws->pairs().get(item.pairId)->preferred);
            }
        const nlohmann::json report = label::gsbReport(*ws, o.name);
        const auto& ana = report["annotators"]["ana"];
        QCOMPARE(ana["honeypots"].get<int>(), 2);
        QCOMPARE(ana["honeypot_accuracy"].get<double>(), 1.0);
        QCOMPARE(ana["repeats"].get<int>(), 2);
        QCOMPARE(ana["self_consistency"].get<double>(), 0.0);
        QCOMPARE(ana["good"].get<int>() + ana["same"].get<int>() + ana["bad"].get<int>(), 8);
    }
    void choicesMapThroughTheCandidateSide() {
        QCOMPARE(LabelingSession::verdictFor(Choice::Left, true), store::Verdict::Good);
        QCOMPARE(LabelingSession::verdictFor(Choice::Left, false), store::Verdict::Bad);
        QCOMPARE(LabelingSession::verdictFor(Choice::Right, true), store::Verdict::Bad);
        QCOMPARE(LabelingSession::verdictFor(Choice::Right, false), store::Verdict::Good);
        QCOMPARE(LabelingSession::verdictFor(Choice::Same, true), store::Verdict::Same);
    }

    void sessionStoresResumesAndUndoes() {
        test::ScratchDir dir;
        auto ws = studyWorkspace(dir / "ws");
        const store::RowId studyId = ws->gsb().findStudy(kStudy)->id;
        // Before any verdict the study has no score, rather than 0 with a [0, 0] interval.
        const nlohmann::json unjudged = label::gsbReport(*ws, kStudy);
        QVERIFY(unjudged["score"].is_null() && unjudged["score_ci95"].is_null());
        QCOMPARE(unjudged["good"].get<int>() + unjudged["bad"].get<int>(), 0);
        auto session = LabelingSession::open(*ws, kStudy, "ana");
        const int total = session.progress().total;
        QVERIFY(total >= 6);
        // Each annotator has an order of their own.
        auto other = LabelingSession::open(*ws, kStudy, "ben");
        std::vector<store::RowId> anaOrder, benOrder;
        for (int i = 0; i < 4; ++i) {
            anaOrder.push_back(session.upcoming(i)->itemId);
            benOrder.push_back(other.upcoming(i)->itemId);
        }
        QVERIFY(anaOrder != benOrder);

        const std::vector<Choice> choices = {Choice::Left, Choice::Right, Choice::Same,
                                             Choice::Left, Choice::Right};
        std::map<store::RowId, store::Verdict> wanted;
        std::vector<store::RowId> judged;
        for (Choice c : choices) {
            const label::LabelItem item = session.current().value();
            judged.push_back(item.itemId);
            wanted[item.itemId] = expected(c, item.candidateLeft);
            session.judge(c, "", 1200);
        }
        const auto rows = ws->gsb().judgmentsBy(studyId, "ana");
        QCOMPARE(rows.size(), choices.size());
        for (const auto& row : rows) {
            QCOMPARE(row.verdict, wanted.at(row.itemId));
            QCOMPARE(row.spentMs, std::int64_t(1200));
        }
        // The study's report counts them (and a second annotator's overlap gives agreement).
        for (int i = 0; i < 3; ++i)
            other.judge(Choice::Same, "", 500);
        const nlohmann::json report = label::gsbReport(*ws, kStudy);
        int good = 0, bad = 0;
        for (const auto& [item, verdict] : wanted) {
            good += verdict == store::Verdict::Good ? 1 : 0;
            bad += verdict == store::Verdict::Bad ? 1 : 0;
        }
        QCOMPARE(report["good"].get<int>(), good);
        QCOMPARE(report["bad"].get<int>(), bad);
        QCOMPARE(report["same"].get<int>(), 1 + 3);
        QCOMPARE(report["score"].get<double>(), double(good - bad) / (good + bad + 1 + 3));
        QCOMPARE(report["annotators"]["ben"]["same"].get<int>(), 3);
        QVERIFY(report["agreement"].contains("cohen_kappa"));
        // Reopening resumes at the sixth item of ana's order.
        const store::RowId sixth = session.current()->itemId;
        auto reopened = LabelingSession::open(*ws, kStudy, "ana");
        QCOMPARE(reopened.current()->itemId, sixth);
        QCOMPARE(reopened.progress().done, 5);
        // Undo takes back the fifth judgment and shows its item again.
        QVERIFY(reopened.undo());
        QCOMPARE(ws->gsb().judgmentsBy(studyId, "ana").size(), size_t(4));
        QCOMPARE(reopened.current()->itemId, judged[4]);
        QVERIFY_EXCEPTION_THROWN(LabelingSession::open(*ws, "no such study", "ana"), Error);
        QVERIFY_EXCEPTION_THROWN(LabelingSession::open(*ws, kStudy, ""), Error);
    }

    void runsViewPlotsCurvesAsTheyGrow() {
        test::ScratchDir dir;
        auto ws = store::Workspace::create(dir / "ws");
        const store::RowId a = ws->runs().create("rm_train", "{\"name\": \"rm-a\"}");
        const store::RowId b = ws->runs().create("rm_train", "{\"name\": \"rm-b\"}");
        std::vector<store::MetricPoint> points;
        for (int step = 1; step <= 10; ++step) {
            points.push_back({a, step, "train/loss", 1.0 / step});
            points.push_back({b, step, "train/loss", 2.0 / step});
        }
        points.push_back({a, 10, "val/accuracy", 0.75});
        ws->runs().addMetrics(points);
        ui::RunsView view(*ws);
        QCOMPARE(view.runCount(), 2);
        view.selectRuns({a, b});
        view.setMetric("train/loss");
        QCOMPARE(view.plot()->graphCount(), 2); // overlaid
        QCOMPARE(view.plot()->graph(0)->dataCount(), 10);
        ws->runs().addMetrics({{a, 11, "train/loss", 0.05}}); // the job writes on
        view.refresh();
        QCOMPARE(view.plot()->graphCount(), 2);
        QCOMPARE(view.plot()->graph(0)->dataCount(), 11);
        view.setMetric("val/accuracy"); // only run a has it
        QCOMPARE(view.plot()->graphCount(), 1);
        QVERIFY(view.alertText().isEmpty());

        // The two-second refresh comes from a timer: a workspace it cannot read is reported in
        // the view, which keeps what it showed, instead of an exception ending the studio.
        QVERIFY(view.readErrorText().isEmpty());
        ws->database().exec("ALTER TABLE runs RENAME TO runs_elsewhere");
        view.refresh();
        QVERIFY(view.readErrorText().contains("runs"));
        QCOMPARE(view.runCount(), 2);
        ws->database().exec("ALTER TABLE runs_elsewhere RENAME TO runs");
        view.refresh();
        QVERIFY(view.readErrorText().isEmpty());
        QCOMPARE(view.runCount(), 2);
        QCOMPARE(view.plot()->graphCount(), 1);
    }

    // ReFL runs: the reward curve with its band and variance bubbles; the alert names the run
    // whose window variance collapsed, and only that one.
    void runsViewShowsRewardVarianceAndCollapse() {
        test::ScratchDir dir;
        auto ws = store::Workspace::create(dir / "ws");
        const store::RowId healthy = ws->runs().create("refl", "{\"name\": \"refl-26b\"}");
        const store::RowId hacked = ws->runs().create("refl", "{\"name\": \"refl-1b\"}");
        std::vector<store::MetricPoint> points;
        for (int step = 1; step <= 40; ++step) {
            for (store::RowId run : {healthy, hacked}) {
                points.push_back({run, step, "refl/reward_mean", 0.5 + 0.01 * step});
                points.push_back({run, step, "refl/reward_std", 0.1});
            }
            points.push_back({healthy, step, "refl/reward_window_variance", 0.04});
            points.push_back(
                {hacked, step, "refl/reward_window_variance", step < 20 ? 0.04 : 0.001});
        }
        ws->runs().addMetrics(points);
        ui::RunsView view(*ws);
        view.selectRuns({healthy});
        view.setMetric("refl/reward_mean");
        // The mean, the band's two edges and the bubbles.
        QVERIFY2(view.plot()->graphCount() > 3,
                 qPrintable(QString::number(view.plot()->graphCount())));
        QVERIFY(view.alertText().isEmpty());
        view.selectRuns({healthy, hacked});
        QVERIFY(view.alertText().contains(QString("run %1").arg(hacked)));
        QVERIFY(!view.alertText().contains(QString("run %1 ").arg(healthy)));
    }

    void keysDriveTheLabelView() {
        test::ScratchDir dir;
        auto ws = studyWorkspace(dir / "ws");
        const store::RowId studyId = ws->gsb().findStudy(kStudy)->id;
        ui::LabelView view(LabelingSession::open(*ws, kStudy, "cleo"));
        view.resize(800, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        std::map<store::RowId, store::Verdict> wanted;
        const std::vector<std::pair<int, Choice>> keys = {{Qt::Key_Left, Choice::Left},
                                                          {Qt::Key_D, Choice::Right},
                                                          {Qt::Key_3, Choice::Same},
                                                          {Qt::Key_A, Choice::Left}};
        for (const auto& [key, choice] : keys) {
            const auto item = view.session().current().value();
            wanted[item.itemId] = expected(choice, item.candidateLeft);
            QTest::keyClick(&view, static_cast<Qt::Key>(key));
        }
        auto rows = ws->gsb().judgmentsBy(studyId, "cleo");
        QCOMPARE(rows.size(), size_t(4));
        for (const auto& row : rows)
            QCOMPARE(row.verdict, wanted.at(row.itemId));
        // Backspace undoes the last one and shows its item again.
        const store::RowId lastItem = rows.back().itemId;
        QTest::keyClick(&view, Qt::Key_Backspace);
        QCOMPARE(ws->gsb().judgmentsBy(studyId, "cleo").size(), size_t(3));
        QCOMPARE(view.currentItemId(), lastItem);
        // A reason typed in its field goes with the next judgment; letters there are text.
        auto* reason = view.findChild<QLineEdit*>();
        QVERIFY(reason);
        reason->setFocus();
        QTest::keyClicks(reason, "sad blur");
        QTest::keyClick(reason, Qt::Key_Return);
        QCOMPARE(ws->gsb().judgmentsBy(studyId, "cleo").size(), size_t(3)); // 's', 'a', 'd' typed
        QTest::keyClick(&view, Qt::Key_Right);
        rows = ws->gsb().judgmentsBy(studyId, "cleo");
        QCOMPARE(rows.size(), size_t(4));
        QCOMPARE(QString::fromStdString(rows.back().reason), QString("sad blur"));
        QVERIFY(view.progressText().startsWith("4 of "));
    }

    // Clips: one clock and one set of controls for both sides - frame step, scrub, speed, and
    // play without looping stops on the last frame.
    void clipControlsDriveBothSides() {
        test::ScratchDir dir;
        auto ws = studyWorkspace(dir / "ws", synth::MediaMode::Video);
        ui::LabelView view(LabelingSession::open(*ws, kStudy, "eve"));
        view.resize(800, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.scrubBar()->isVisible());
        const int last = view.scrubBar()->maximum();
        QVERIFY(last >= 7);
        QTest::keyClick(&view, Qt::Key_Period);
        QCOMPARE(view.frame(), std::int64_t(1));
        QCOMPARE(view.scrubBar()->value(), 1);
        view.scrubBar()->setValue(5);
        QCOMPARE(view.frame(), std::int64_t(5));
        QTest::keyClick(&view, Qt::Key_Comma);
        QCOMPARE(view.frame(), std::int64_t(4));
        view.loopBox()->setChecked(false);
        view.speedBox()->setCurrentIndex(view.speedBox()->count() - 1); // 2x
        QTest::keyClick(&view, Qt::Key_Space);
        QTRY_COMPARE_WITH_TIMEOUT(view.frame(), std::int64_t(last), 10000);
        QTest::qWait(300);
        QCOMPARE(view.frame(), std::int64_t(last)); // stopped there, not looping
        QCOMPARE(ws->gsb().judgmentsBy(ws->gsb().findStudy(kStudy)->id, "eve").size(), size_t(0));
    }

    // The default keys come from resources/label_keys.json (a Qt resource): every action has the
    // keys the header documents.
    void defaultKeysComeFromTheResources() {
        const ui::LabelKeyMap keys = ui::LabelKeyMap::defaults();
        using A = ui::LabelAction;
        const std::vector<std::pair<A, QList<int>>> expected = {
            {A::LeftBetter, {Qt::Key_Left, Qt::Key_A, Qt::Key_1}},
            {A::RightBetter, {Qt::Key_Right, Qt::Key_D, Qt::Key_2}},
            {A::Same, {Qt::Key_Down, Qt::Key_S, Qt::Key_3}},
            {A::Undo, {Qt::Key_Backspace}},
            {A::PlayPause, {Qt::Key_Space}},
            {A::StepBack, {Qt::Key_Comma}},
            {A::StepForward, {Qt::Key_Period}}};
        for (const auto& [action, codes] : expected)
            QCOMPARE(keys.keysFor(action), codes);
        QCOMPARE(ui::LabelKeyMap::actions().size(), qsizetype(expected.size()));
    }

    // A remapped key drives its new action, the key it replaced no longer does, and the map
    // survives a save and load through QSettings.
    void remappedKeysDriveTheLabelView() {
        test::ScratchDir dir;
        QSettings settings(QString::fromStdString((dir / "keys.ini").string()),
                           QSettings::IniFormat);
        ui::LabelKeyMap keys = ui::LabelKeyMap::defaults();
        keys.setKeys(ui::LabelAction::LeftBetter, *ui::LabelKeyMap::parseKeys("J"));
        keys.setKeys(ui::LabelAction::Same, *ui::LabelKeyMap::parseKeys("K Down"));
        QVERIFY(!ui::LabelKeyMap::parseKeys("Left Nonsense"));
        keys.save(settings);
        const ui::LabelKeyMap loaded = ui::LabelKeyMap::load(settings);
        QCOMPARE(loaded.keysFor(ui::LabelAction::LeftBetter), QList<int>{Qt::Key_J});
        QCOMPARE(loaded.actionFor(Qt::Key_K), std::optional(ui::LabelAction::Same));
        QCOMPARE(loaded.actionFor(Qt::Key_Left), std::nullopt);
        QCOMPARE(loaded.actionFor(Qt::Key_D), std::optional(ui::LabelAction::RightBetter));

        auto ws = studyWorkspace(dir / "ws");
        const store::RowId studyId = ws->gsb().findStudy(kStudy)->id;
        ui::LabelView view(LabelingSession::open(*ws, kStudy, "dora"));
        view.setKeyMap(loaded);
        view.resize(800, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTest::keyClick(&view, Qt::Key_Left); // unbound now: nothing stored
        QCOMPARE(ws->gsb().judgmentsBy(studyId, "dora").size(), size_t(0));
        auto item = view.session().current().value();
        QTest::keyClick(&view, Qt::Key_J);
        item = view.session().current().value(); // the next item
        QTest::keyClick(&view, Qt::Key_K);
        const auto rows = ws->gsb().judgmentsBy(studyId, "dora");
        QCOMPARE(rows.size(), size_t(2));
        QCOMPARE(rows.back().verdict, store::Verdict::Same);
        QCOMPARE(rows.back().itemId, item.itemId);
    }
};

QTEST_MAIN(LabelingTest)
#include "test_labeling.moc"
