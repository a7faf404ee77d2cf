#include "store_bench.h"
#include "scratch_folder.h"
#include "timing.h"

#include "import_file.h"
#include "store/gsb_repository.h"
#include "store/inspect_query.h"
#include "store/model_repository.h"
#include "store/pair_repository.h"
#include "store/rm_judgment_repository.h"
#include "store/sqlite_db.h"
#include "store/workspace.h"

#include <opencv2/imgcodecs.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

namespace rd::bench {
namespace fs = std::filesystem;

namespace {

// Small random PNGs: distinct content, so each one is its own media row.
void writeImages(const fs::path& folder, long count) {
    fs::create_directories(folder);
    std::mt19937 rng(7);
    for (long i = 0; i < count; ++i) {
        cv::Mat image(16, 16, CV_8UC3);
        for (int y = 0; y < image.rows; ++y)
            for (int x = 0; x < image.cols; ++x)
                image.at<cv::Vec3b>(y, x) = cv::Vec3b(rng() & 255, rng() & 255, rng() & 255);
        cv::imwrite((folder / ("img" + std::to_string(i) + ".png")).string(), image);
    }
}

void writeManifest(const fs::path& file, long rows, long images) {
    std::ofstream out(file);
    static const char* const kCategories[] = {"single", "two",      "counting",
                                              "colors", "position", "attribution"};
    for (long i = 0; i < rows; ++i) {
        const long a = i % images,
                   b = (i * 7 + 1) % images == a ? (a + 1) % images : (i * 7 + 1) % images;
        nlohmann::json row = {{"prompt", "bench prompt " + std::to_string(i)},
                              {"category", kCategories[i % 6]},
                              {"split", i % 10 == 0 ? "test" : "train"},
                              {"media_a", "images/img" + std::to_string(a) + ".png"},
                              {"media_b", "images/img" + std::to_string(b) + ".png"},
                              {"generator_a", "baseline"},
                              {"generator_b", "candidate"},
                              {"preferred", i % 3 == 0   ? "a"
                                            : i % 3 == 1 ? "b"
                                                         : "tie"},
                              {"rationale", "image 2 matches the count in the prompt"}};
        out << row.dump() << "\n";
    }
}

// The Inspect view over every pair: an RM's judgments in both orders are stored, then the
// queries the view runs are timed - matching (ids, sorted in SQL) and one page of rows.
nlohmann::json timeInspect(store::Workspace& ws) {
    store::ModelRecord model;
    model.name = "bench-rm";
    model.arch = "bench";
    model.path = "/bench";
    const store::RowId modelId = ws.models().upsert(model);
    std::vector<store::PairRecord> pairs = ws.pairs().list({});
    {
        store::Transaction tx(ws.database());
        std::mt19937 rng(3);
        std::uniform_real_distribution<double> p(0.0, 1.0);
        for (const auto& pair : pairs)
            for (auto order : {store::JudgeOrder::AB, store::JudgeOrder::BA})
                ws.rmJudgments().upsert({0, pair.id, modelId, order, p(rng), "", 0.0, ""});
        tx.commit();
    }
    store::InspectQuery query(ws.database());
    nlohmann::json out = {{"pairs", pairs.size()}};
    auto time = [&](const char* name, const store::InspectFilter& filter,
                    const store::InspectSort& sort) {
        auto start = Clock::now();
        const std::vector<store::RowId> ids = query.matchingPairs(filter, sort);
        const double matchMs = secondsSince(start) * 1000.0;
        start = Clock::now();
        const auto page = query.rows({ids.begin(), ids.begin() + std::min<size_t>(ids.size(), 256)},
                                     filter.modelId);
        out[name] = {{"matches", ids.size()},
                     {"match_ms", matchMs},
                     {"page_256_ms", secondsSince(start) * 1000.0}};
    };
    store::InspectFilter all;
    all.modelId = modelId;
    time("all_by_id", all, {});
    time("all_by_rm_score", all, {store::InspectColumn::RmScore, false});
    store::InspectFilter inconsistent = all;
    inconsistent.inconsistentOnly = true;
    time("inconsistent", inconsistent, {store::InspectColumn::RmScore, true});
    store::InspectFilter narrow = all;
    narrow.category = "colors";
    narrow.rmScoreMin = 0.4;
    narrow.rmScoreMax = 0.6;
    narrow.disagreement = store::Disagreement::WithLabel;
    time("colors_band_disagreeing", narrow, {store::InspectColumn::Prompt, true});
    return out;
}

} // namespace

nlohmann::json runStoreBench(const StoreBenchOptions& options) {
    const ScratchFolder scratch("store");
    nlohmann::json result;
    writeImages(scratch / "images", options.images);
    writeManifest(scratch / "pairs.jsonl", options.rows, options.images);
    auto ws = store::Workspace::create(scratch / "ws");

    importers::ImportRequest request;
    request.input = scratch / "pairs.jsonl";
    auto start = Clock::now();
    const store::ImportReport report = importers::importFile(*ws, request);
    const double importSeconds = secondsSince(start);

    // One study over the first pairs; every judgment is its own committed transaction.
    store::GsbStudyRecord study;
    study.name = "bench";
    study.baselineGenerator = "baseline";
    study.candidateGenerator = "candidate";
    const store::RowId studyId = ws->gsb().createStudy(study);
    store::PairFilter firstPairs;
    firstPairs.limit = 100;
    std::vector<store::RowId> items;
    for (const auto& pair : ws->pairs().list(firstPairs))
        items.push_back(ws->gsb().addItem({0, studyId, pair.id, pair.id % 2 == 0,
                                           static_cast<std::int64_t>(items.size()),
                                           store::ItemRole::Normal, std::nullopt}));
    start = Clock::now();
    for (long i = 0; i < options.commits; ++i) {
        store::GsbJudgmentRecord j;
        j.itemId = items[static_cast<size_t>(i) % items.size()];
        j.annotator = "bench";
        j.verdict = static_cast<store::Verdict>(1 + i % 3);
        j.spentMs = 1200;
        ws->gsb().addJudgment(j);
    }
    const double commitSeconds = secondsSince(start);

    const nlohmann::json inspect = timeInspect(*ws);

    result = {{"import_rows", report.rows},
              {"import_pairs_added", report.pairsAdded},
              {"import_media", report.mediaAdded},
              {"import_seconds", importSeconds},
              {"import_rows_per_s", report.rows / importSeconds},
              {"judgment_commits", options.commits},
              {"judgment_commit_seconds", commitSeconds},
              {"judgment_commits_per_s", options.commits / commitSeconds},
              {"synchronous", "FULL (every commit synced)"},
              {"inspect", inspect}};
    return result;
}

} // namespace rd::bench
