// `rdance text` as a user runs it: train a tokenizer from a corpus file, encode and decode with
// it, and errors that exit with 1 and name the file.
#include "fixtures.h"
#include "process_runner.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QtTest>

#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using Result = rd::test::ProcessResult;

Result rdance(const QStringList& args) {
    return rd::test::runProcess(RDANCE_BIN, args, 120000);
}

QString q(const fs::path& path) {
    return rd::test::qpath(path);
}

// The last line of stdout, parsed.
json lastJson(const std::string& out) {
    std::istringstream lines(out);
    std::string line, last;
    while (std::getline(lines, line))
        if (!line.empty())
            last = line;
    return json::parse(last);
}

} // namespace

class TestTextCli : public QObject {
    Q_OBJECT

private slots:
    void trainEncodeDecode() {
        rd::test::ScratchDir dir;
        std::string corpus;
        for (int i = 0; i < 300; ++i)
            corpus += std::to_string(i % 4 + 1) + " red circles above a blue star. Image 2 is "
                                                  "better.\n";
        rd::test::writeText(dir / "corpus.txt", corpus);
        const Result train = rdance({"text", "train", "--corpus", q(dir / "corpus.txt"), "--vocab",
                                     "300", "--out", q(dir / "tokenizer.json")});
        QVERIFY2(train.exitCode == 0, train.err.c_str());
        const json done = lastJson(train.out);
        QCOMPARE(done["event"], "done");
        QCOMPARE(done["vocab_size"], 300);
        QVERIFY(fs::exists(dir / "tokenizer.json"));

        const std::string text = "<|im_start|>user\n3 red circles 👋<|im_end|>";
        const Result encoded = rdance({"text", "encode", "--tokenizer", q(dir / "tokenizer.json"),
                                       "--text", QString::fromStdString(text)});
        QVERIFY2(encoded.exitCode == 0, encoded.err.c_str());
        const json ids = json::parse(encoded.out);
        QVERIFY(ids.is_array());
        QCOMPARE(ids.front(), 1); // <|im_start|>
        QCOMPARE(ids.back(), 2);  // <|im_end|>

        const Result decoded = rdance({"text", "decode", "--tokenizer", q(dir.path()), "--ids",
                                       QString::fromStdString(ids.dump())});
        QVERIFY2(decoded.exitCode == 0, decoded.err.c_str());
        QCOMPARE(json::parse(decoded.out).get<std::string>(), text);
        const Result skipped = rdance({"text", "decode", "--tokenizer", q(dir.path()), "--ids",
                                       QString::fromStdString(ids.dump()), "--skip-special"});
        QCOMPARE(json::parse(skipped.out).get<std::string>(), std::string("user\n3 red circles 👋"));

        const Result info = rdance({"text", "info", "--tokenizer", q(dir / "tokenizer.json")});
        QCOMPARE(json::parse(info.out)["kind"], "byte-level-bpe");
    }

    void errorsNameTheFile() {
        rd::test::ScratchDir dir;
        rd::test::writeText(dir / "broken.json", "{\"model\": ");
        const Result broken =
            rdance({"text", "encode", "--tokenizer", q(dir / "broken.json"), "--text", "hi"});
        QCOMPARE(broken.exitCode, 1);
        QVERIFY2(broken.err.find("broken.json") != std::string::npos, broken.err.c_str());
        const Result badIds = rdance(
            {"text", "decode", "--tokenizer", q(dir / "broken.json"), "--ids", "[1, \"x\"]"});
        QCOMPARE(badIds.exitCode, 1);
        QVERIFY2(badIds.err.find("--ids") != std::string::npos, badIds.err.c_str());
        const Result tooSmall = rdance({"text", "train", "--corpus", q(dir / "broken.json"),
                                        "--vocab", "10", "--out", q(dir / "t.json")});
        QCOMPARE(tooSmall.exitCode, 1);
        QVERIFY(!fs::exists(dir / "t.json"));
    }
};

QTEST_APPLESS_MAIN(TestTextCli)
#include "test_text_cli.moc"
