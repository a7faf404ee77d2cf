// Logical checkpoints (one file, a folder, Hugging Face shards with an index) and the strict load
// report the model code runs before loading one.
#include "common/atomic_file.h"
#include "common/error.h"
#include "fixtures.h"
#include "model/checkpoint.h"
#include "model/load_report.h"
#include "model/safetensors_writer.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QtTest>

using namespace rd;
using namespace rd::model;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Two shards and their index, as transformers' save_pretrained lays them out.
void writeShardedCheckpoint(const fs::path& folder) {
    writeSafetensors(folder / "model-00001-of-00002.safetensors",
                     {{"embed.weight", at::arange(6, at::kFloat).reshape({3, 2})},
                      {"layers.0.w", at::full({2}, 7, at::kBFloat16)}});
    writeSafetensors(folder / "model-00002-of-00002.safetensors",
                     {{"head.weight", at::arange(4, at::kLong)},
                      {"unlisted", at::ones({1})}}); // not in weight_map: not part of it
    const nlohmann::json index = {{"metadata", {{"total_size", 44}, {"format", "pt"}}},
                                  {"weight_map",
                                   {{"embed.weight", "model-00001-of-00002.safetensors"},
                                    {"layers.0.w", "model-00001-of-00002.safetensors"},
                                    {"head.weight", "model-00002-of-00002.safetensors"}}}};
    test::writeText(folder / kSafetensorsIndexFileName, index.dump(2));
}

Error openError(const fs::path& path) {
    try {
        Checkpoint::open(path);
    } catch (const Error& e) {
        return e;
    }
    return Error(ErrorKind::Internal, "opened");
}

} // namespace

class TestSafetensorsCheckpoint : public QObject {
    Q_OBJECT

private slots:
    void singleFileOpensByPathOrFolder() {
        test::ScratchDir dir;
        writeSafetensors(dir / kSafetensorsFileName, {{"b", at::ones({2})}, {"a", at::zeros({1})}},
                         {{"format", "pt"}});
        for (const fs::path& path : {dir / kSafetensorsFileName, dir.path()}) {
            const Checkpoint ckpt = Checkpoint::open(path);
            QCOMPARE(ckpt.tensors().size(), size_t(2));
            QCOMPARE(ckpt.tensors()[0].name, std::string("a"));
            QCOMPARE(ckpt.metadata().at("format"), std::string("pt"));
            QCOMPARE(ckpt.files().size(), size_t(1));
            QVERIFY(at::equal(ckpt.load("b"), at::ones({2})));
        }
    }

    void shardsFormOneCheckpoint() {
        test::ScratchDir dir;
        writeShardedCheckpoint(dir.path());
        for (const fs::path& path : {dir.path(), dir / kSafetensorsIndexFileName}) {
            const Checkpoint ckpt = Checkpoint::open(path);
            QCOMPARE(ckpt.path(), dir / kSafetensorsIndexFileName);
            QCOMPARE(ckpt.files().size(), size_t(2));
            std::vector<std::string> names;
            for (const TensorInfo& t : ckpt.tensors())
                names.push_back(t.name);
            QCOMPARE(names,
                     (std::vector<std::string>{"embed.weight", "head.weight", "layers.0.w"}));
            QVERIFY(!ckpt.contains("unlisted"));
            QCOMPARE(ckpt.metadata().at("total_size"), std::string("44"));
            QCOMPARE(ckpt.fileOf("head.weight").path(), dir / "model-00002-of-00002.safetensors");
            QVERIFY(at::equal(ckpt.load("head.weight"), at::arange(4, at::kLong)));
            QVERIFY(at::equal(ckpt.load("layers.0.w", at::kFloat, at::kCPU), at::full({2}, 7.0)));
            at::Tensor embed = at::zeros({3, 2}, at::kDouble);
            ckpt.copyInto("embed.weight", embed);
            QVERIFY(at::equal(embed, at::arange(6, at::kDouble).reshape({3, 2})));
            QCOMPARE(openError(dir / "absent").kind(), ErrorKind::NotFound);
            QVERIFY_THROWS_EXCEPTION(Error, ckpt.load("unlisted"));
        }
    }

    void missingShardsAreNamed() {
        test::ScratchDir dir;
        writeShardedCheckpoint(dir.path());
        nlohmann::json index =
            nlohmann::json::parse(readWholeFile(dir / kSafetensorsIndexFileName));
        index["weight_map"]["extra.a"] = "model-00003-of-00004.safetensors";
        index["weight_map"]["extra.b"] = "model-00004-of-00004.safetensors";
        test::writeText(dir / kSafetensorsIndexFileName, index.dump());
        const Error e = openError(dir.path());
        QCOMPARE(e.kind(), ErrorKind::NotFound);
        QVERIFY2(contains(e.what(), "2 of 4 shard files are missing"), e.what());
        QVERIFY2(contains(e.what(), "model-00003-of-00004.safetensors, "
                                    "model-00004-of-00004.safetensors"),
                 e.what());
        QVERIFY2(!contains(e.what(), "00001"), e.what());
    }

    void malformedIndexesAreRefused_data() {
        QTest::addColumn<QByteArray>("index");
        QTest::addColumn<QString>("defect");
        // Plain string literals below: moc (Qt 6.4) loses track of a raw string that ends in a
        // quote and then finds no test class in the file.
        const QByteArray shard = "model-00001-of-00002.safetensors";
        QTest::newRow("not json") << QByteArray("{\"weight_map\": ") << "not valid JSON";
        QTest::newRow("array") << QByteArray("[]") << "not an object";
        QTest::newRow("no weight_map") << QByteArray(R"({"metadata": {}})") << "'weight_map'";
        QTest::newRow("number shard")
            << QByteArray(R"({"weight_map": {"a": 3}})") << "not a shard file name";
        QTest::newRow("climbing shard")
            << QByteArray(R"({"weight_map": {"a": "../x.safetensors"}})") << "not a file name";
        QTest::newRow("absolute shard")
            << QByteArray(R"({"weight_map": {"a": "/etc/passwd"}})") << "not a file name";
        QTest::newRow("tensor not in shard")
            << QByteArray("{\"weight_map\": {\"nope\": \"" + shard + "\"}}")
            << "has no tensor of that name";
        QTest::newRow("bad metadata")
            << QByteArray("{\"metadata\": 3, \"weight_map\": {\"embed.weight\": \"" + shard +
                          "\"}}")
            << "'metadata' is a number";
    }

    void malformedIndexesAreRefused() {
        QFETCH(QByteArray, index);
        QFETCH(QString, defect);
        test::ScratchDir dir;
        writeShardedCheckpoint(dir.path());
        test::writeText(dir / kSafetensorsIndexFileName, index.toStdString());
        const Error e = openError(dir.path());
        QCOMPARE(e.kind(), ErrorKind::Format);
        QVERIFY2(contains(e.what(), (dir / kSafetensorsIndexFileName).string()), e.what());
        QVERIFY2(contains(e.what(), defect.toStdString()), e.what());
    }

    void folderWithoutCheckpoint() {
        test::ScratchDir dir;
        const Error e = openError(dir.path());
        QCOMPARE(e.kind(), ErrorKind::NotFound);
        QVERIFY2(contains(e.what(), kSafetensorsIndexFileName), e.what());
    }

    void loadReportFindsEveryKindOfMismatch() {
        const TensorShapes model{
            {"embed", {10, 4}}, {"head", {10, 4}}, {"norm", {4}}, {"layers.0.w", {4, 4}}};
        const TensorShapes ckpt{{"embed", {10, 4}},
                                {"head", {4, 10}},
                                {"layers.0.w", {4, 4}},
                                {"rotary.inv_freq", {2}}};
        LoadReport report = compareShapes(model, ckpt);
        QVERIFY(!report.ok());
        QCOMPARE(report.matched, size_t(2));
        QCOMPARE(report.missing, std::vector<std::string>{"norm"});
        QCOMPARE(report.unexpected, std::vector<std::string>{"rotary.inv_freq"});
        QCOMPARE(report.misshaped.size(), size_t(1));
        QCOMPARE(report.misshaped[0].modelName, std::string("head"));
        QCOMPARE(report.misshaped[0].actual, (std::vector<int64_t>{4, 10}));
        const std::string summary = report.summary();
        QVERIFY2(contains(summary, "1 missing: norm"), summary.c_str());
        QVERIFY2(contains(summary, "1 unexpected: rotary.inv_freq"), summary.c_str());
        QVERIFY2(contains(summary, "head expected [10, 4], got [4, 10]"), summary.c_str());
        try {
            report.require("ckpt.safetensors");
            QFAIL("a failed report passed");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Format);
            QVERIFY(contains(e.what(), "ckpt.safetensors: checkpoint does not match the model"));
        }
    }

    void loadReportMapsAndSkipsNames() {
        const TensorShapes model{{"embed", {3}}, {"norm", {2}}};
        const TensorShapes ckpt{
            {"lm.embed", {3}}, {"lm.norm", {2}}, {"lm.inv_freq", {1}}, {"other.embed", {3}}};
        const NameMapping mapping = [](const std::string& name) -> std::optional<std::string> {
            if (name == "lm.inv_freq")
                return std::nullopt; // a buffer the model recomputes
            return name.substr(name.find('.') + 1);
        };
        const LoadReport report = compareShapes(model, ckpt, mapping);
        // "lm.embed" and "other.embed" both map to "embed": the first wins, the other is extra.
        QCOMPARE(report.unexpected, std::vector<std::string>{"other.embed"});
        QVERIFY(report.missing.empty());
        QCOMPARE(report.matched, size_t(2));

        const LoadReport clean =
            compareShapes(model, {{"lm.embed", {3}}, {"lm.norm", {2}}}, mapping);
        QVERIFY(clean.ok());
        QCOMPARE(clean.summary(), std::string("all 2 tensors present with the expected shapes"));
        clean.require("unused");
    }

    void loadReportOverACheckpoint() {
        test::ScratchDir dir;
        writeShardedCheckpoint(dir.path());
        const Checkpoint ckpt = Checkpoint::open(dir.path());
        const TensorShapes model{
            {"embed.weight", {3, 2}}, {"head.weight", {4}}, {"layers.0.w", {2}}};
        QVERIFY(compareWithCheckpoint(model, ckpt).ok());
        const LoadReport report = compareWithCheckpoint({{"embed.weight", {2, 3}}}, ckpt);
        QCOMPARE(report.misshaped.size(), size_t(1));
        QCOMPARE(report.unexpected.size(), size_t(2));
    }
};

QTEST_APPLESS_MAIN(TestSafetensorsCheckpoint)
#include "test_safetensors_checkpoint.moc"
