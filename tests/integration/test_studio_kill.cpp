// The studio never loses an acknowledged judgment: rdance-studio, driven by replayed keys, is
// killed with SIGKILL after it reported N judgments; the workspace then holds exactly those N
// rows with the verdicts the keys meant (sides mapped back), and passes SQLite's integrity
// check. Killed again mid-stream while keys keep coming, every reported judgment is there and at
// most the one in flight beyond it, and the session resumes where it stopped.
#include "fixtures.h"
#include "label/labeling_session.h"
#include "process_runner.h"
#include "store/gsb_repository.h"
#include "store/workspace.h"
#include "study_workspace.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QtTest>

#include <map>
#include <set>

using namespace rd;

namespace {

// Starts the studio on the study, replaying keys; returns once `acks` judgments were reported.
struct Studio {
    QProcess process;
    int acks = 0;

    Studio(const test::ScratchDir& dir, const QString& keys, int intervalMs) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_CONFIG_HOME", test::qpath(dir / "config")); // keep the user's settings
        process.setProcessEnvironment(env);
        process.start(STUDIO_BIN,
                      {test::qpath(dir / "ws"), "--study", test::kStudyName, "--annotator", "kim",
                       "--replay", keys, "--replay-interval", QString::number(intervalMs)});
    }

    bool waitForAcks(int wanted) {
        QElapsedTimer clock;
        clock.start();
        while (acks < wanted && clock.elapsed() < 60000) {
            if (!process.canReadLine() && !process.waitForReadyRead(1000))
                continue;
            while (process.canReadLine())
                if (process.readLine().contains("\"event\":\"judged\""))
                    ++acks;
        }
        return acks >= wanted;
    }

    void kill() {
        process.kill(); // SIGKILL: no chance to clean up
        process.waitForFinished(10000);
    }
};

} // namespace

class StudioKillTest : public QObject {
    Q_OBJECT

private slots:
    void killedStudioKeepsEveryAcknowledgedJudgment() {
        test::ScratchDir dir;
        test::studyWorkspace(dir / "ws"); // created and closed: the studio opens it
        const std::vector<std::pair<QString, label::Choice>> keys = {{"Left", label::Choice::Left},
                                                                     {"D", label::Choice::Right},
                                                                     {"Down", label::Choice::Same}};
        QStringList names;
        for (const auto& [name, choice] : keys)
            names << name;

        Studio first(dir, names.join(' '), 0);
        QVERIFY2(first.process.waitForStarted(), qPrintable(first.process.errorString()));
        QVERIFY2(first.waitForAcks(3), first.process.readAllStandardError().constData());
        first.kill();

        {
            auto ws = store::Workspace::open(dir / "ws");
            QCOMPARE(ws->integrityCheck(), std::string("ok"));
            const auto study = ws->gsb().findStudy(test::kStudyName).value();
            std::map<store::RowId, bool> candidateLeft;
            for (const auto& item : ws->gsb().items(study.id))
                candidateLeft[item.id] = item.candidateLeft;
            QVERIFY(candidateLeft.size() >= 6); // room for the second session below
            const auto rows = ws->gsb().judgmentsBy(study.id, "kim");
            QCOMPARE(rows.size(), keys.size());
            for (size_t i = 0; i < rows.size(); ++i)
                QCOMPARE(rows[i].verdict, label::LabelingSession::verdictFor(
                                              keys[i].second, candidateLeft.at(rows[i].itemId)));
        }

        // Keys keep coming while it is killed: the acknowledged ones are all stored.
        Studio second(dir, "Left Right Left Right Left Right Left Right", 150);
        QVERIFY(second.process.waitForStarted());
        QVERIFY(second.waitForAcks(2));
        second.kill();
        auto ws = store::Workspace::open(dir / "ws");
        QCOMPARE(ws->integrityCheck(), std::string("ok"));
        const auto study = ws->gsb().findStudy(test::kStudyName).value();
        const auto rows = ws->gsb().judgmentsBy(study.id, "kim");
        QVERIFY2(rows.size() >= 3 + size_t(second.acks) &&
                     rows.size() <= 3 + size_t(second.acks) + 1,
                 qPrintable(QString("%1 rows after %2 acks").arg(rows.size()).arg(second.acks)));
        // Each item is judged once: the second session resumed after the first one's items.
        std::set<store::RowId> items;
        for (const auto& row : rows)
            QVERIFY(items.insert(row.itemId).second);
    }
};

QTEST_MAIN(StudioKillTest)
#include "test_studio_kill.moc"
