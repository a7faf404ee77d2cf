// rdance as a user runs it, and the workspace under real processes: exit codes, export files
// that parse, an import killed with SIGKILL, two writers at once, acknowledged judgments that
// survive a killed writer.
#include "fixtures.h"
#include "process_runner.h"
#include "store/gsb_repository.h"
#include "store/pair_repository.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QtTest>

#include <fstream>
#include <sstream>

using namespace rd;
namespace fs = std::filesystem;

namespace {

using Result = test::ProcessResult;

Result rdance(const QStringList& args) {
    return test::runProcess(RDANCE_BIN, args, 120000);
}

QString q(const fs::path& path) {
    return test::qpath(path);
}

void writeManifest(const fs::path& file, int rows, int images) {
    std::ofstream out(file);
    for (int i = 0; i < rows; ++i)
        out << nlohmann::json{{"prompt", "prompt " + std::to_string(i)},
                              {"category", i % 2 ? "counting" : "colors"},
                              {"media_a", "img/" + std::to_string(i % images) + ".png"},
                              {"media_b", "img/" + std::to_string((i + 1) % images) + ".png"},
                              {"generator_a", "sft"},
                              {"generator_b", "refl"},
                              {"preferred", i % 3 ? "b" : "a"},
                              {"rationale", "because, \"quoted\""}}
                   .dump()
            << "\n";
}

void writeImages(const fs::path& folder, int count) {
    for (int i = 0; i < count; ++i)
        test::writeImage(folder / (std::to_string(i) + ".png"), 1000 + i);
}

std::int64_t countRows(const fs::path& ws, const std::string& table) {
    return store::Workspace::open(ws)->counts().at(table);
}

// A workspace with one GSB item to judge; returns the item id.
store::RowId workspaceWithItem(const fs::path& dir) {
    writeImages(dir / "img", 2);
    writeManifest(dir / "one.jsonl", 1, 2);
    auto ws = store::Workspace::create(dir / "ws");
    ws.reset();
    if (rdance({"import", q(dir / "ws"), q(dir / "one.jsonl")}).exitCode != 0)
        throw std::runtime_error("fixture import failed");
    ws = store::Workspace::open(dir / "ws");
    const auto study = ws->gsb().createStudy({0, "s", "sft", "refl", "{}", ""});
    return ws->gsb().addItem({0, study, 1, true, 0, store::ItemRole::Normal, {}});
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void initImportInfoExport() {
        test::ScratchDir dir;
        writeImages(dir / "img", 5);
        writeManifest(dir / "pairs.jsonl", 40, 5);
        QCOMPARE(rdance({"init", q(dir / "ws")}).exitCode, 0);
        const Result imported = rdance({"import", q(dir / "ws"), q(dir / "pairs.jsonl")});
        QCOMPARE(imported.exitCode, 0);
        QVERIFY(imported.out.find("\"pairs_added\":40") != std::string::npos);

        const Result info = rdance({"info", q(dir / "ws")});
        QCOMPARE(info.exitCode, 0);
        const auto counts = nlohmann::json::parse(info.out)["counts"];
        QCOMPARE(counts["pairs"].get<int>(), 40);
        QCOMPARE(counts["media"].get<int>(), 5);

        for (const char* format : {"csv", "jsonl", "md", "tex"}) {
            const fs::path out = dir / (std::string("pairs.") + format);
            const Result r = rdance(
                {"export", q(dir / "ws"), "--what", "pairs", "--format", format, "--out", q(out)});
            QCOMPARE(r.exitCode, 0);
            std::ifstream in(out);
            std::string line;
            std::vector<std::string> lines;
            while (std::getline(in, line))
                lines.push_back(line);
            if (std::string(format) == "jsonl") {
                QCOMPARE(lines.size(), size_t(40));
                const auto first = nlohmann::json::parse(lines[0]);
                QCOMPARE(first["rationale"].get<std::string>(), std::string("because, \"quoted\""));
                QCOMPARE(first["preferred"].get<std::string>(), std::string("a"));
            } else if (std::string(format) == "csv") {
                QCOMPARE(lines.size(), size_t(41));
                QVERIFY(lines[0].rfind("pair_id,prompt,category,split", 0) == 0);
            } else if (std::string(format) == "md") {
                QCOMPARE(lines.size(), size_t(42));
            } else {
                QVERIFY(lines.front().rfind("\\begin{tabular}", 0) == 0);
                QCOMPARE(lines.back(), std::string("\\end{tabular}"));
            }
        }
        for (const char* what : {"rm", "gsb", "metrics"})
            QCOMPARE(rdance({"export", q(dir / "ws"), "--what", what}).exitCode, 0);
    }

    void userErrorsExitWithOneAndSayWhy() {
        test::ScratchDir dir;
        QCOMPARE(rdance({"init", q(dir / "ws")}).exitCode, 0);
        test::writeText(dir / "bad.jsonl", "{\"prompt\": \"x\", \"media_a\": \"nope.png\"}\n");
        Result r = rdance({"import", q(dir / "ws"), q(dir / "bad.jsonl")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.find("bad.jsonl:1") != std::string::npos);
        QVERIFY(r.err.find("media_a") != std::string::npos);
        r = rdance({"export", q(dir / "ws"), "--what", "everything"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.find("--what") != std::string::npos);
        QCOMPARE(rdance({"info", q(dir / "missing")}).exitCode, 1);
        QCOMPARE(rdance({"no-such-command"}).exitCode, 1);
        QCOMPARE(rdance({"init", q(dir / "ws")}).exitCode, 1);
    }

    void importKilledMidwayLeavesNothing() {
        test::ScratchDir dir;
        writeImages(dir / "img", 50);
        writeManifest(dir / "big.jsonl", 30000, 50);
        QCOMPARE(rdance({"init", q(dir / "ws")}).exitCode, 0);

        QProcess p;
        p.start(RDANCE_BIN, {"import", q(dir / "ws"), q(dir / "big.jsonl")});
        QVERIFY(p.waitForStarted());
        // The first progress line comes from inside the import transaction.
        QByteArray seen;
        while (!seen.contains("\"progress\"") && p.waitForReadyRead(60000))
            seen += p.readAllStandardOutput();
        QVERIFY2(seen.contains("\"progress\""), seen.constData());
        QVERIFY(!seen.contains("\"done\""));
        p.kill(); // SIGKILL
        p.waitForFinished();
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);

        auto ws = store::Workspace::open(dir / "ws");
        QCOMPARE(ws->integrityCheck(), std::string("ok"));
        QCOMPARE(ws->counts().at("pairs"), std::int64_t(0));
        QCOMPARE(ws->counts().at("media"), std::int64_t(0));
        ws.reset();
        // The workspace still works: the same import then lands whole.
        QCOMPARE(rdance({"import", q(dir / "ws"), q(dir / "big.jsonl")}).exitCode, 0);
        QCOMPARE(countRows(dir / "ws", "pairs"), std::int64_t(30000));
    }

    void twoWritersAtOnceLoseNothing() {
        test::ScratchDir dir;
        const store::RowId item = workspaceWithItem(dir.path());
        QProcess first, second;
        const QStringList common = {q(dir / "ws"), QString::number(item)};
        first.start(JUDGMENT_WRITER_BIN, common + QStringList{"alice", "300"});
        second.start(JUDGMENT_WRITER_BIN, common + QStringList{"bob", "300"});
        QVERIFY(first.waitForFinished(120000));
        QVERIFY(second.waitForFinished(120000));
        QCOMPARE(first.exitCode(), 0);
        QCOMPARE(second.exitCode(), 0);
        auto ws = store::Workspace::open(dir / "ws");
        QCOMPARE(ws->counts().at("gsb_judgments"), std::int64_t(600));
        QCOMPARE(ws->gsb().judgmentsBy(1, "alice").size(), size_t(300));
        QCOMPARE(ws->integrityCheck(), std::string("ok"));
    }

    void acknowledgedJudgmentsSurviveSigkill() {
        test::ScratchDir dir;
        const store::RowId item = workspaceWithItem(dir.path());
        QProcess writer;
        writer.start(JUDGMENT_WRITER_BIN,
                     {q(dir / "ws"), QString::number(item), "carol", "1000000"});
        QByteArray out;
        while (out.count('\n') < 50 && writer.waitForReadyRead(60000))
            out += writer.readAllStandardOutput();
        writer.kill();
        writer.waitForFinished();
        out += writer.readAllStandardOutput();
        const auto lines = out.split('\n');
        long acknowledged = 0;
        for (const auto& line : lines)
            if (line.startsWith("committed "))
                acknowledged = line.mid(10).toLong();
        QVERIFY(acknowledged >= 50);
        const auto rows = countRows(dir / "ws", "gsb_judgments");
        QVERIFY2(rows >= acknowledged && rows <= acknowledged + 1,
                 (std::to_string(rows) + " rows, " + std::to_string(acknowledged) + " acknowledged")
                     .c_str());
        QCOMPARE(store::Workspace::open(dir / "ws")->integrityCheck(), std::string("ok"));
    }

    // The programs set passive OpenMP waiting for themselves before LibTorch starts (spinning
    // threads slow every job over 5x beside a busy neighbour), unless the user chose a policy.
    void programsWaitPassivelyUnlessTold() {
        for (const char* policy : {"", "active"}) {
            QProcess engine;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove("OMP_WAIT_POLICY");
            if (*policy)
                env.insert("OMP_WAIT_POLICY", policy);
            engine.setProcessEnvironment(env);
            engine.start(ENGINE_BIN, {"check", "--size", "64"});
            QVERIFY(engine.waitForFinished(120000));
            QCOMPARE(engine.exitCode(), 0);
            const auto report = nlohmann::json::parse(engine.readAllStandardOutput().toStdString());
            QCOMPARE(report["omp_wait_policy"].get<std::string>(),
                     std::string(*policy ? policy : "passive"));
        }
    }

    // At a terminal (a pseudo-terminal made by script(1)) progress is one updating line with a
    // bar; --json, or a pipe as in every other test here, keeps the JSON lines.
    void progressIsABarAtATerminal() {
        test::ScratchDir dir;
        QCOMPARE(rdance({"init", q(dir / "ws")}).exitCode, 0);
        for (const bool json : {false, true}) {
            const std::string command = std::string(RDANCE_BIN) + " synth " +
                                        (dir / "ws").string() + " --prompts 24 --threads 1" +
                                        " --seed " + (json ? "2" : "1") + (json ? " --json" : "");
            const Result r = test::runProcess(
                "/usr/bin/script", {"-qec", QString::fromStdString(command), "/dev/null"}, 120000);
            QCOMPARE(r.exitCode, 0);
            const bool rawProgress = r.out.find(R"("event":"progress")") != std::string::npos;
            const bool bar = r.out.find("] 100%") != std::string::npos &&
                             r.out.find("\r\033[2K") != std::string::npos;
            QVERIFY2(json ? rawProgress && !bar : bar && !rawProgress, r.out.c_str());
            QVERIFY(json || r.out.find("done: generations_added") != std::string::npos);
        }
    }

    // At a terminal a result is aligned text (an array of objects a table); --json keeps JSON.
    void resultsAreTextAtATerminal() {
        auto atTerminal = [](const std::string& arguments) {
            const Result r = test::runProcess(
                "/usr/bin/script",
                {"-qec", QString::fromStdString(std::string(RDANCE_BIN) + " " + arguments),
                 "/dev/null"},
                60000);
            return r.exitCode == 0 ? r.out : "exit " + std::to_string(r.exitCode) + ": " + r.out;
        };
        const std::string one = atTerminal("rm info --preset rd-xs");
        QVERIFY2(one.find("name                   rd-xs") != std::string::npos &&
                     one.find("total                  545312") != std::string::npos &&
                     one.find('{') == std::string::npos,
                 one.c_str());
        const std::string json = atTerminal("rm info --preset rd-xs --json");
        QVERIFY2(json.find("\"name\": \"rd-xs\"") != std::string::npos, json.c_str());
        const std::string all = atTerminal("rm info --preset all");
        QVERIFY2(all.find("  name  ") != std::string::npos &&
                     all.find("  rd-xs       ") != std::string::npos &&
                     all.find('{') == std::string::npos,
                 all.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
