// ShapeWorld's commands as a user runs them: `rdance demo`, `rdance synth` (twice: the second
// run adds nothing), `rdance oracle` on files and on a workspace generator, and their errors.
#include "fixtures.h"
#include "process_runner.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QtTest>

#include <sstream>

using namespace rd;
namespace fs = std::filesystem;

namespace {

using Result = test::ProcessResult;

Result rdance(const QStringList& args) {
    return test::runProcess(RDANCE_BIN, args, 300000);
}

QString q(const fs::path& path) {
    return test::qpath(path);
}

std::vector<nlohmann::json> jsonLines(const std::string& out) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        lines.push_back(nlohmann::json::parse(line));
    return lines;
}

} // namespace

class TestSynthCli : public QObject {
    Q_OBJECT

private slots:
    void demoSynthAndOracle() {
        test::ScratchDir dir;
        const fs::path ws = dir / "demo";
        Result r = rdance({"demo", q(ws)});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const nlohmann::json done = jsonLines(r.out).back();
        QCOMPARE(done.at("event").get<std::string>(), std::string("done"));
        QVERIFY(done.at("images").get<long>() >= 2000);
        QVERIFY(done.at("clips").get<long>() >= 150);
        QVERIFY(done.at("gsb_items").get<long>() >= 100);
        QVERIFY(done.at("pairs_added").get<long>() >= 2000);

        r = rdance({"synth", q(ws), "--prompts", "12", "--split", "ood", "--seed", "5"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY(jsonLines(r.out).back().at("pairs_added").get<long>() > 12);
        const auto counts = store::Workspace::open(ws)->counts();
        r = rdance({"synth", q(ws), "--prompts", "12", "--split", "ood", "--seed", "5"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(jsonLines(r.out).back().at("pairs_added").get<long>(), 0L);
        QCOMPARE(store::Workspace::open(ws)->counts(), counts);
        r = rdance({"synth", q(ws), "--prompts", "3", "--split", "ood", "--video", "--size", "96",
                    "--frames", "6"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());

        r = rdance({"oracle", q(ws), "--generator", "shapeworld-clean", "--limit", "60"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto items = jsonLines(r.out);
        QCOMPARE(items.size(), size_t(61));
        for (size_t i = 0; i + 1 < items.size(); ++i)
            QVERIFY2(items[i].at("satisfied").get<bool>(), items[i].dump().c_str());
        const nlohmann::json summary = items.back();
        QCOMPARE(summary.at("event").get<std::string>(), std::string("summary"));
        QVERIFY(r.err.find("| overall | 60 | 60 |") != std::string::npos);

        // A file against a prompt given as text: the generation's own prompt, then another.
        const std::string file = items[0].at("file").get<std::string>();
        const std::string prompt = items[0].at("prompt").get<std::string>();
        r = rdance({"oracle", q(ws / file), "--prompt", QString::fromStdString(prompt)});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY(jsonLines(r.out).front().at("satisfied").get<bool>());
        r = rdance({"oracle", q(ws / file), "--prompt", "a photo of six black stars"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY(!jsonLines(r.out).front().at("satisfied").get<bool>());
        r = rdance({"oracle", q(ws / file)}); // no prompt, no generator
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.find("give --prompt TEXT") != std::string::npos);
    }

    void errorsExitWithOne() {
        test::ScratchDir dir;
        Result r = rdance({"init", q(dir / "ws")});
        QCOMPARE(r.exitCode, 0);
        r = rdance({"synth", q(dir / "ws"), "--prompts", "3", "--split", "validation"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.find("--split: 'validation' is not train, id or ood") != std::string::npos);
        test::writeImage(dir / "x.png", 1, 64, 64);
        r = rdance({"oracle", q(dir / "x.png"), "--prompt", "a photo of a dog"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.find("cannot parse prompt 'a photo of a dog': 'dog'") != std::string::npos);
        r = rdance({"oracle", q(dir / "missing.png"), "--prompt", "a star"});
        QCOMPARE(r.exitCode, 1);
        r = rdance({"demo", q(dir / "ws")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.find("already exists") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestSynthCli)
#include "test_synth_cli.moc"
