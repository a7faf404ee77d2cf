// The importer plugins and the transactional import: formats, deduplication, errors that name
// file, line and field, and all-or-nothing on a bad row.
#include "common/error.h"
#include "fixtures.h"
#include "import_file.h"
#include "importer_registry.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <fstream>

using namespace rd;
using namespace rd::store;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

ImportReport importPath(Workspace& ws, const fs::path& input, const std::string& format = {}) {
    importers::ImportRequest request;
    request.input = input;
    request.format = format;
    return importers::importFile(ws, request);
}

// Runs the import, expecting an rd::Error whose message holds every fragment.
void expectImportError(Workspace& ws, const fs::path& input,
                       const std::vector<std::string>& fragments, const std::string& format = {}) {
    try {
        importPath(ws, input, format);
    } catch (const rd::Error& e) {
        const std::string message = e.what();
        for (const auto& fragment : fragments)
            QVERIFY2(message.find(fragment) != std::string::npos,
                     ("'" + fragment + "' not in: " + message).c_str());
        return;
    }
    QFAIL("the import should have failed");
}

void writeJsonl(const fs::path& path, const std::vector<json>& rows) {
    std::ofstream out(path);
    for (const auto& row : rows)
        out << row.dump() << "\n";
}

json pairRow(const std::string& prompt, const std::string& a, const std::string& b,
             const std::string& preferred = "a") {
    return {{"prompt", prompt},       {"category", "counting"},
            {"media_a", a},           {"media_b", b},
            {"generator_a", "sft"},   {"generator_b", "refl"},
            {"preferred", preferred}, {"rationale", "image 1 shows three"}};
}

} // namespace

class TestImporters : public QObject {
    Q_OBJECT

private slots:
    void jsonlImportsAndReimportAddsNothing() {
        test::ScratchDir dir;
        test::writeImage(dir / "img" / "1.png", 1);
        test::writeImage(dir / "img" / "2.png", 2);
        test::writeImage(dir / "img" / "3.png", 3);
        fs::copy_file(dir / "img" / "1.png", dir / "img" / "1-copy.png"); // same bytes
        writeJsonl(dir / "pairs.jsonl",
                   {pairRow("three red circles", "img/1.png", "img/2.png", "a"),
                    pairRow("three red circles", "img/1-copy.png", "img/3.png", "tie"),
                    {{"prompt", "a blue star"},
                     {"media_a", "img/3.png"},
                     {"split", "test"},
                     {"metadata", {{"seed", 4}}}}});
        auto ws = Workspace::create(dir / "ws");
        const ImportReport first = importPath(*ws, dir / "pairs.jsonl");
        QCOMPARE(first.rows, std::int64_t(3));
        QCOMPARE(first.pairsAdded, std::int64_t(2));
        QCOMPARE(first.mediaAdded, std::int64_t(3)); // 1-copy.png has the bytes of 1.png
        QCOMPARE(first.mediaReused, std::int64_t(1));
        QCOMPARE(first.promptsAdded, std::int64_t(2));
        const auto counts = ws->counts();
        QCOMPARE(counts.at("generations"), std::int64_t(4)); // sft:1, refl:2, refl:3, unknown:3

        const auto pairs = ws->pairs().list({});
        QCOMPARE(pairs[0].preferred, Preference::A);
        QCOMPARE(pairs[1].preferred, Preference::Tie);
        QCOMPARE(pairs[0].rationale, std::string("image 1 shows three"));
        const auto media = ws->media().get(ws->generations().get(pairs[0].genA)->mediaId);
        QCOMPARE(media->width, 16);
        QCOMPARE(media->height, 12);
        QCOMPARE(media->kind, MediaKind::Image);
        QCOMPARE(ws->prompts().listBySplit("test")[0].metadataJson, std::string(R"({"seed":4})"));

        const ImportReport again = importPath(*ws, dir / "pairs.jsonl");
        QCOMPARE(again.pairsAdded, std::int64_t(0));
        QCOMPARE(again.pairsExisting, std::int64_t(2));
        QCOMPARE(again.mediaAdded, std::int64_t(0));
        QCOMPARE(ws->counts(), counts);
    }

    void csvHandlesQuotedCommasAndNewlines() {
        test::ScratchDir dir;
        test::writeImage(dir / "a.png", 1);
        test::writeImage(dir / "b.jpg", 2);
        test::writeText(dir / "pairs.csv",
                        "prompt,category,media_a,media_b,preferred,rationale,seed_a\r\n"
                        "\"two dogs, one cat\",two_objects,a.png,b.jpg,b,\"line one\nline "
                        "\"\"two\"\"\",17\r\n");
        auto ws = Workspace::create(dir / "ws");
        const ImportReport report = importPath(*ws, dir / "pairs.csv");
        QCOMPARE(report.pairsAdded, std::int64_t(1));
        const auto pair = ws->pairs().list({})[0];
        QCOMPARE(ws->prompts().get(pair.promptId)->text, std::string("two dogs, one cat"));
        QCOMPARE(pair.rationale, std::string("line one\nline \"two\""));
        QCOMPARE(pair.preferred, Preference::B);
        QCOMPARE(ws->generations().get(pair.genA)->seed, std::optional<std::int64_t>(17));
    }

    void badRowInTheMiddleOfTenThousandRollsBackEverything() {
        test::ScratchDir dir;
        for (int i = 0; i < 20; ++i)
            test::writeImage(dir / "img" / (std::to_string(i) + ".png"), i);
        auto ws = Workspace::create(dir / "ws");
        writeJsonl(dir / "seed.jsonl", {pairRow("already here", "img/0.png", "img/1.png")});
        importPath(*ws, dir / "seed.jsonl");
        const auto before = ws->counts();

        std::vector<json> rows;
        for (int i = 0; i < 10000; ++i)
            rows.push_back(
                pairRow("prompt " + std::to_string(i), "img/" + std::to_string(i % 20) + ".png",
                        "img/" + std::to_string((i + 1) % 20) + ".png", i == 4999 ? "maybe" : "b"));
        writeJsonl(dir / "big.jsonl", rows);
        expectImportError(*ws, dir / "big.jsonl", {"big.jsonl:5000", "'preferred'", "maybe"});
        QCOMPARE(ws->counts(), before);
        QCOMPARE(ws->integrityCheck(), std::string("ok"));

        // The same manifest with a missing media file at row 7000.
        rows[4999] = pairRow("prompt 4999", "img/0.png", "img/1.png");
        rows[6999]["media_b"] = "img/missing.png";
        writeJsonl(dir / "big.jsonl", rows);
        expectImportError(*ws, dir / "big.jsonl", {"big.jsonl:7000", "'media_b'", "missing.png"});
        QCOMPARE(ws->counts(), before);

        rows[6999]["media_b"] = "img/3.png";
        writeJsonl(dir / "big.jsonl", rows);
        QCOMPARE(importPath(*ws, dir / "big.jsonl").pairsAdded, std::int64_t(10000));
    }

    void malformedInputNamesFileLineAndField() {
        test::ScratchDir dir;
        test::writeImage(dir / "a.png", 1);
        test::writeImage(dir / "b.png", 2);
        test::writeText(dir / "notes.png", "this is text, not an image");
        auto ws = Workspace::create(dir / "ws");

        writeJsonl(dir / "unknown.jsonl",
                   {{{"prompt", "x"}, {"media_a", "a.png"}, {"prefered", "a"}}});
        expectImportError(*ws, dir / "unknown.jsonl",
                          {"unknown.jsonl:1", "'prefered'", "unknown field"});

        test::writeText(dir / "broken.jsonl",
                        pairRow("x", "a.png", "b.png").dump() + "\n{\"prompt\": \n");
        expectImportError(*ws, dir / "broken.jsonl", {"broken.jsonl:2", "not valid JSON"});

        writeJsonl(dir / "noprompt.jsonl", {{{"media_a", "a.png"}}});
        expectImportError(*ws, dir / "noprompt.jsonl", {"noprompt.jsonl:1", "'prompt'"});

        writeJsonl(dir / "text.jsonl", {pairRow("x", "a.png", "notes.png")});
        expectImportError(*ws, dir / "text.jsonl", {"text.jsonl:1", "'media_b'", "notes.png"});

        writeJsonl(dir / "split.jsonl",
                   {{{"prompt", "x"}, {"media_a", "a.png"}, {"split", "Train Set"}}});
        expectImportError(*ws, dir / "split.jsonl", {"split.jsonl:1", "'split'"});

        writeJsonl(dir / "seed.jsonl",
                   {{{"prompt", "x"}, {"media_a", "a.png"}, {"seed_a", "twelve"}}});
        expectImportError(*ws, dir / "seed.jsonl", {"seed.jsonl:1", "'seed_a'"});

        json same = pairRow("x", "a.png", "a.png");
        same["generator_b"] = "sft";
        writeJsonl(dir / "same.jsonl", {same});
        expectImportError(*ws, dir / "same.jsonl", {"same.jsonl:1", "same generation"});

        test::writeText(dir / "short.csv", "prompt,media_a,media_b\nx,a.png\n");
        expectImportError(*ws, dir / "short.csv", {"short.csv:2", "2 fields"});

        test::writeText(dir / "quote.csv", "prompt,media_a\n\"x,a.png\n");
        expectImportError(*ws, dir / "quote.csv", {"quote.csv"});

        QCOMPARE(ws->counts().at("prompts"), std::int64_t(0));
    }

    void folderPairMatchesFileNames() {
        test::ScratchDir dir;
        for (const char* stem : {"red_circle", "two_blue_squares"}) {
            test::writeImage(dir / "pair" / "sft" / (std::string(stem) + ".png"), stem[0]);
            test::writeImage(dir / "pair" / "refl" / (std::string(stem) + ".jpg"), stem[1] + 50);
        }
        test::writeText(
            dir / "pair" / "prompts.jsonl",
            R"({"file": "two_blue_squares.png", "prompt": "two blue squares", "category": "counting", "split": "test"})"
            "\n");
        auto ws = Workspace::create(dir / "ws");
        QCOMPARE(importers::detectFormat(dir / "pair"), std::string("folder-pair"));
        const ImportReport report = importPath(*ws, dir / "pair");
        QCOMPARE(report.pairsAdded, std::int64_t(2));
        const auto pairs = ws->pairs().list({});
        QCOMPARE(ws->generations().get(pairs[0].genA)->generator, std::string("refl"));
        QCOMPARE(ws->generations().get(pairs[0].genB)->generator, std::string("sft"));
        QCOMPARE(ws->prompts().get(pairs[0].promptId)->text, std::string("red circle"));
        QCOMPARE(ws->prompts().get(pairs[1].promptId)->split, std::string("test"));
        QCOMPARE(pairs[0].preferred, Preference::Unknown);

        test::writeImage(dir / "pair" / "sft" / "orphan.png", 99);
        expectImportError(*ws, dir / "pair", {"orphan", "refl"});
    }

    void imageRewardBothLayouts() {
        test::ScratchDir dir;
        for (int i = 0; i < 5; ++i)
            test::writeImage(dir / "images" / (std::to_string(i) + ".webp"), 10 + i);
        // Grouped layout (the training code's): ranks 1, 2, 2 -> a wins twice, then a tie.
        test::writeText(
            dir / "valid.json",
            json::array({{{"id", "p1"},
                          {"prompt", "a castle"},
                          {"generations", {"images/0.webp", "images/1.webp", "images/2.webp"}},
                          {"ranking", {1, 2, 2}}}})
                .dump());
        auto ws = Workspace::create(dir / "ws");
        QCOMPARE(importers::detectFormat(dir / "valid.json"), std::string("imagereward"));
        QCOMPARE(importPath(*ws, dir / "valid.json").pairsAdded, std::int64_t(3));
        auto pairs = ws->pairs().list({});
        QCOMPARE(pairs[0].preferred, Preference::A);
        QCOMPARE(pairs[1].preferred, Preference::A);
        QCOMPARE(pairs[2].preferred, Preference::Tie);
        QCOMPARE(pairs[0].split, std::string("val"));
        QCOMPARE(pairs[0].source, PairSource::Human);

        // Per-image layout (ImageRewardDB): grouped by prompt_id; rank 2 beats rank 3.
        test::writeText(dir / "train_1.json", json::array({{{"image_path", "images/3.webp"},
                                                            {"prompt_id", "9"},
                                                            {"prompt", "a dog"},
                                                            {"classification", "Animals"},
                                                            {"rank", 3}},
                                                           {{"image_path", "images/4.webp"},
                                                            {"prompt_id", "9"},
                                                            {"prompt", "a dog"},
                                                            {"classification", "Animals"},
                                                            {"rank", 2}}})
                                                  .dump());
        QCOMPARE(importPath(*ws, dir / "train_1.json", "imagereward").pairsAdded, std::int64_t(1));
        PairFilter train;
        train.split = "train";
        pairs = ws->pairs().list(train);
        QCOMPARE(pairs.size(), size_t(1));
        QCOMPARE(pairs[0].preferred, Preference::B);
        QCOMPARE(ws->prompts().get(pairs[0].promptId)->category, std::string("Animals"));

        test::writeText(dir / "bad.json", json::array({{{"prompt", "x"},
                                                        {"generations", {"images/0.webp"}},
                                                        {"ranking", {1, 2}}}})
                                              .dump());
        expectImportError(*ws, dir / "bad.json", {"bad.json: record 1", "'ranking'"},
                          "imagereward");
    }

    void hpdv2TrainAndTest() {
        test::ScratchDir dir;
        test::writeImage(dir / "HPD" / "train" / "x.jpg", 1);
        test::writeImage(dir / "HPD" / "train" / "y.jpg", 2);
        for (int i = 0; i < 3; ++i)
            test::writeImage(dir / "HPD" / "test" / (std::to_string(i) + ".jpg"), 20 + i);
        test::writeText(dir / "HPD" / "train.json", json::array({{{"prompt", "a lighthouse"},
                                                                  {"file_path", {"x.jpg", "y.jpg"}},
                                                                  {"human_preference", {0, 1}},
                                                                  {"user_hash", "u1"}}})
                                                        .dump());
        test::writeText(dir / "HPD" / "test.json",
                        json::array({{{"prompt", "a bridge"},
                                      {"image_path", {"0.jpg", "1.jpg", "2.jpg"}},
                                      {"rank", {2, 1, 3}},
                                      {"raw_annotations", json::array()}}})
                            .dump());
        auto ws = Workspace::create(dir / "ws");
        QCOMPARE(importers::detectFormat(dir / "HPD" / "train.json"), std::string("hpdv2"));
        QCOMPARE(importers::detectFormat(dir / "HPD" / "test.json"), std::string("hpdv2"));
        QCOMPARE(importPath(*ws, dir / "HPD" / "train.json").pairsAdded, std::int64_t(1));
        QCOMPARE(importPath(*ws, dir / "HPD" / "test.json").pairsAdded, std::int64_t(3));
        PairFilter f;
        f.split = "train";
        QCOMPARE(ws->pairs().list(f)[0].preferred, Preference::B);
        f.split = "test";
        const auto test = ws->pairs().list(f);
        QCOMPARE(test[0].preferred, Preference::B); // rank 2 vs 1
        QCOMPARE(test[1].preferred, Preference::A); // rank 2 vs 3
        QCOMPARE(test[2].preferred, Preference::A); // rank 1 vs 3
    }

    void pickapicLabelsAndModels() {
        test::ScratchDir dir;
        for (int i = 0; i < 4; ++i)
            test::writeImage(dir / "img" / (std::to_string(i) + ".jpg"), 40 + i);
        test::writeImage(dir / "img" / "uid-a.jpg", 50);
        test::writeImage(dir / "img" / "uid-b.jpg", 51);
        auto ws = Workspace::create(dir / "ws");
        importers::ImportRequest request;
        request.input = dir / "validation_unique.jsonl";
        request.mediaRoot = dir / "img"; // jpg_N paths and <uid>.jpg files are found here
        writeJsonl(dir / "validation_unique.jsonl", {{{"caption", "a fox"},
                                                      {"jpg_0", "0.jpg"},
                                                      {"jpg_1", "1.jpg"},
                                                      {"label_0", 0},
                                                      {"label_1", 1},
                                                      {"model_0", "sdxl"},
                                                      {"model_1", "sd15"},
                                                      {"has_label", true}},
                                                     {{"caption", "a fox"},
                                                      {"jpg_0", "2.jpg"},
                                                      {"jpg_1", "3.jpg"},
                                                      {"label_0", 0.5},
                                                      {"label_1", 0.5},
                                                      {"model_0", "sdxl"},
                                                      {"model_1", "sd15"}},
                                                     {{"caption", "an owl"},
                                                      {"image_0_uid", "uid-a"},
                                                      {"image_1_uid", "uid-b"},
                                                      {"has_label", false},
                                                      {"model_0", "sdxl"},
                                                      {"model_1", "sd15"},
                                                      {"split", "train"}}});
        QCOMPARE(importers::detectFormat(dir / "validation_unique.jsonl"), std::string("pickapic"));
        QCOMPARE(importers::importFile(*ws, request).pairsAdded, std::int64_t(3));
        const auto pairs = ws->pairs().list({});
        QCOMPARE(pairs[0].preferred, Preference::B);
        QCOMPARE(pairs[1].preferred, Preference::Tie);
        QCOMPARE(pairs[2].preferred, Preference::Unknown);
        QCOMPARE(pairs[0].split, std::string("val"));
        QCOMPARE(pairs[2].split, std::string("train"));
        QCOMPARE(ws->generations().get(pairs[0].genA)->generator, std::string("sdxl"));
        QCOMPARE(ws->generations().get(pairs[0].genB)->generator, std::string("sd15"));
    }

    void copyMediaMakesTheWorkspaceStandAlone() {
        test::ScratchDir dir;
        test::writeImage(dir / "a.png", 1);
        test::writeImage(dir / "b.png", 2);
        writeJsonl(dir / "pairs.jsonl", {pairRow("x", "a.png", "b.png")});
        auto ws = Workspace::create(dir / "ws");
        importers::ImportRequest request;
        request.input = dir / "pairs.jsonl";
        request.copyMedia = true;
        importers::importFile(*ws, request);
        const auto media = ws->media().get(1);
        QVERIFY(media->path.rfind("media/", 0) == 0);
        QVERIFY(fs::exists(ws->resolveMediaPath(media->path)));
        QCOMPARE(fs::file_size(ws->resolveMediaPath(media->path)), fs::file_size(dir / "a.png"));
    }

    void detectionAndUnknownFormats() {
        test::ScratchDir dir;
        test::writeText(dir / "x.txt", "hello");
        QVERIFY_THROWS_EXCEPTION(rd::Error, importers::detectFormat(dir / "x.txt"));
        QVERIFY_THROWS_EXCEPTION(rd::Error, importers::detectFormat(dir / "missing.jsonl"));
        QVERIFY_THROWS_EXCEPTION(rd::Error, importers::makeReader("parquet"));
        QCOMPARE(importers::formatNames().size(), size_t(6));
    }
};

QTEST_APPLESS_MAIN(TestImporters)
#include "test_importers.moc"
