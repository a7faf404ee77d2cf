// Schema creation, migration from version 1, refusal of newer schemas, and the pragmas the
// workspace relies on (foreign keys, WAL).
#include "common/error.h"
#include "fixtures.h"
#include "store/gsb_repository.h"
#include "store/rm_judgment_repository.h"
#include "store/schema.h"
#include "store/sqlite_db.h"
#include "store/workspace.h"

#include <QtTest>

using namespace rd;
using namespace rd::store;

class TestSchema : public QObject {
    Q_OBJECT

private:
    static std::string pragmaText(Database& db, const std::string& pragma) {
        Statement s(db, "PRAGMA " + pragma);
        return s.step() ? s.text(0) : std::string();
    }

private slots:
    void createsEveryTableAtCurrentVersion() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        QCOMPARE(ws->schemaVersion(), kSchemaVersion);
        const auto counts = ws->counts();
        for (const char* table :
             {"media", "prompts", "generations", "pairs", "models", "rm_judgments", "gsb_studies",
              "gsb_items", "gsb_judgments", "runs", "metrics"}) {
            QVERIFY2(counts.count(table) == 1, table);
            QCOMPARE(counts.at(table), std::int64_t(0));
        }
        QVERIFY(std::filesystem::is_directory(dir / "ws" / "media"));
        QCOMPARE(ws->integrityCheck(), std::string("ok"));
    }

    void walAndForeignKeysAreOn() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        QCOMPARE(pragmaText(ws->database(), "journal_mode"), std::string("wal"));
        QCOMPARE(pragmaText(ws->database(), "foreign_keys"), std::string("1"));
        // A generation pointing at prompts and media that do not exist is refused.
        QVERIFY_THROWS_EXCEPTION(
            rd::Error,
            ws->database().exec(
                "INSERT INTO generations(prompt_id, media_id, generator) VALUES (99, 99, 'g')"));
    }

    void migratesVersionOneKeepingRows() {
        test::ScratchDir dir;
        std::filesystem::create_directories(dir / "old");
        {
            Database db(dir / "old" / Workspace::kDatabaseFile,
                        Database::OpenMode::CreateIfMissing);
            migrateTo(db, 1);
            QCOMPARE(db.userVersion(), 1);
            db.exec("INSERT INTO prompts(text) VALUES ('a red circle')");
            db.exec("INSERT INTO media(path, kind, width, height, sha256) VALUES "
                    "('a.png', 'image', 4, 4, '" +
                    std::string(64, 'a') +
                    "'), "
                    "('b.png', 'image', 4, 4, '" +
                    std::string(64, 'b') + "')");
            db.exec("INSERT INTO generations(prompt_id, media_id, generator) VALUES (1, 1, 'x'), "
                    "(1, 2, 'y')");
            db.exec("INSERT INTO pairs(prompt_id, gen_a, gen_b, source) VALUES (1, 1, 2, 'human')");
            db.exec("INSERT INTO gsb_studies(name, baseline_generator, candidate_generator) "
                    "VALUES ('s', 'x', 'y')");
            db.exec("INSERT INTO gsb_items(study_id, pair_id, candidate_left, position) "
                    "VALUES (1, 1, 1, 0)");
            db.exec("INSERT INTO models(name, arch, path) VALUES ('rm', 'rd-xs', 'm')");
            db.exec("INSERT INTO rm_judgments(pair_id, model_id, ordering, p_yes) "
                    "VALUES (1, 1, 'ab', 0.25)");
            // Version 1 has no role column yet.
            QVERIFY_THROWS_EXCEPTION(rd::Error, db.exec("UPDATE gsb_items SET role = 'honeypot'"));
        }
        auto ws = Workspace::open(dir / "old");
        QCOMPARE(ws->schemaVersion(), kSchemaVersion);
        QCOMPARE(ws->counts().at("pairs"), std::int64_t(1));
        // Version 4's P(no) is absent on the judgment written before it; P(yes) is kept.
        const auto judgments = ws->rmJudgments().listForPair(1);
        QCOMPARE(judgments.size(), size_t(1));
        QCOMPARE(judgments[0].pYes, 0.25);
        QVERIFY(!judgments[0].pNo.has_value());
        const auto items = ws->gsb().items(1);
        QCOMPARE(items.size(), size_t(1));
        QCOMPARE(items[0].role, ItemRole::Normal);
        QVERIFY(items[0].candidateLeft);
        QVERIFY(!items[0].expected.has_value());
    }

    void refusesNewerSchema() {
        test::ScratchDir dir;
        {
            auto ws = Workspace::create(dir / "ws");
            ws->database().exec("PRAGMA user_version = 99");
        }
        try {
            Workspace::open(dir / "ws");
            QFAIL("opening a newer workspace must fail");
        } catch (const rd::Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Unsupported);
            QVERIFY(std::string(e.what()).find("99") != std::string::npos);
        }
    }

    void refusesToCreateTwiceAndToOpenNothing() {
        test::ScratchDir dir;
        Workspace::create(dir / "ws");
        QVERIFY_THROWS_EXCEPTION(rd::Error, Workspace::create(dir / "ws"));
        try {
            Workspace::open(dir / "missing");
            QFAIL("opening a missing workspace must fail");
        } catch (const rd::Error& e) {
            QCOMPARE(e.kind(), ErrorKind::NotFound);
        }
    }

    void refusesAFileThatIsNotADatabase() {
        test::ScratchDir dir;
        test::writeText(dir / "ws" / Workspace::kDatabaseFile, std::string(4096, 'x'));
        try {
            Workspace::open(dir / "ws");
            QFAIL("a garbage file must not open as a workspace");
        } catch (const rd::Error& e) {
            QVERIFY(std::string(e.what()).find("workspace.db") != std::string::npos);
        }
    }

    void opensByDatabasePathToo() {
        test::ScratchDir dir;
        Workspace::create(dir / "ws");
        auto ws = Workspace::open(dir / "ws" / Workspace::kDatabaseFile);
        QCOMPARE(ws->folder(), std::filesystem::absolute(dir / "ws"));
    }
};

QTEST_APPLESS_MAIN(TestSchema)
#include "test_schema.moc"
