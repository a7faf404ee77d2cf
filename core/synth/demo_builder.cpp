#include "synth/demo_builder.h"

#include "store/gsb_repository.h"
#include "store/workspace.h"
#include "synth/toy_generator.h"

#include <nlohmann/json.hpp>

#include <map>

namespace rd::synth {

namespace {

bool cleanVersusSloppy(const PromptBundle& bundle, const SynthPair& pair) {
    const ImageRole a = bundle.images[size_t(pair.first)].role;
    const ImageRole b = bundle.images[size_t(pair.second)].role;
    return (a == ImageRole::Match && b == ImageRole::Sloppy) ||
           (a == ImageRole::Sloppy && b == ImageRole::Match);
}

// The GSB study over the clean-vs-sloppy pairs, drawn in a seeded order.
void addStudy(store::Workspace& ws, const std::vector<PromptBundle>& bundles,
              const SynthWriteReport& written, const DemoOptions& options, DemoReport& report) {
    std::vector<WrittenPair> candidates;
    for (const WrittenPair& w : written.pairs)
        if (cleanVersusSloppy(bundles[w.bundle], bundles[w.bundle].pairs[w.pair]))
            candidates.push_back(w);
    Rng rng(mixSeed(options.seed, hashName(kDemoStudyName)));
    rng.shuffle(candidates);

    std::vector<store::GsbItemRecord> items;
    std::vector<bool> used(candidates.size(), false);
    for (size_t i = 0; i < candidates.size() && int(items.size()) < options.gsbItems; ++i) {
        store::GsbItemRecord item;
        item.pairId = candidates[i].pairId;
        items.push_back(item);
        used[i] = true;
    }
    // Honeypots: the sloppy side plainly misses the prompt, so a careful annotator says the
    // candidate (sloppy) is worse than the baseline (clean).
    int honeypots = 0;
    for (size_t i = 0; i < candidates.size() && honeypots < options.honeypots; ++i) {
        const SynthPair& pair = bundles[candidates[i].bundle].pairs[candidates[i].pair];
        const bool cleanWins =
            bundles[candidates[i].bundle]
                .images[size_t(pair.winner == Winner::First ? pair.first : pair.second)]
                .role == ImageRole::Match;
        if (used[i] || pair.winner == Winner::Tie || !cleanWins ||
            pair.difficulty != Difficulty::Easy)
            continue;
        store::GsbItemRecord item;
        item.pairId = candidates[i].pairId;
        item.role = store::ItemRole::Honeypot;
        item.expected = store::Verdict::Bad;
        items.push_back(item);
        ++honeypots;
    }
    // Repeats: an earlier pair again, its sides swapped when the sides are drawn below.
    const size_t made = items.size();
    int repeats = 0;
    for (size_t i = 0; i < made && repeats < options.repeats; ++i) {
        if (items[i].role != store::ItemRole::Normal)
            continue;
        store::GsbItemRecord item = items[i];
        item.role = store::ItemRole::Repeat;
        items.push_back(item);
        ++repeats;
    }
    rng.shuffle(items);

    store::GsbStudyRecord study;
    study.name = kDemoStudyName;
    study.baselineGenerator = kCleanGenerator;
    study.candidateGenerator = kSloppyGenerator;
    study.designJson =
        nlohmann::json{{"source", "rdance demo"}, {"seed", options.seed},  {"blind", true},
                       {"random_sides", true},    {"items", items.size()}, {"honeypots", honeypots},
                       {"repeats", repeats}}
            .dump();
    report.studyId = ws.gsb().createStudy(study);
    std::map<store::RowId, bool> firstSide; // a repeat shows its pair with the sides swapped
    for (size_t i = 0; i < items.size(); ++i) {
        items[i].studyId = report.studyId;
        items[i].position = static_cast<std::int64_t>(i);
        items[i].candidateLeft = rng.chance(0.5);
        if (const auto seen = firstSide.find(items[i].pairId); seen != firstSide.end())
            items[i].candidateLeft = !seen->second;
        else
            firstSide[items[i].pairId] = items[i].candidateLeft;
        ws.gsb().addItem(items[i]);
    }
    report.gsbItems = static_cast<int>(items.size());
    report.honeypots = honeypots;
    report.repeats = repeats;
}

} // namespace

DemoReport buildDemo(const std::filesystem::path& folder, const DemoOptions& options) {
    std::vector<PromptBundle> bundles;
    BundleOptions imageOptions;
    imageOptions.size = options.imageSize;
    BundleOptions clipOptions;
    clipOptions.size = options.clipSize;
    clipOptions.frames = options.frames;
    for (size_t s = 0; s < kSplits.size(); ++s) {
        for (auto& b : makeBundles(kSplits[s], MediaMode::Image, options.imagePrompts[s],
                                   options.seed, imageOptions))
            bundles.push_back(std::move(b));
        for (auto& b : makeBundles(kSplits[s], MediaMode::Video, options.clipPrompts[s],
                                   options.seed, clipOptions))
            bundles.push_back(std::move(b));
    }
    DemoReport report;
    for (const PromptBundle& b : bundles)
        (b.frames > 1 ? report.clips : report.images) += long(b.images.size());

    std::error_code ec;
    const bool existed = std::filesystem::exists(folder, ec);
    auto ws = store::Workspace::create(folder);
    SynthWriteOptions writeOptions;
    writeOptions.threads = options.threads;
    writeOptions.progress = options.progress;
    try {
        report.write = writeBundles(*ws, bundles, writeOptions,
                                    [&](store::Workspace& w, const SynthWriteReport& written) {
                                        addStudy(w, bundles, written, options, report);
                                    });
    } catch (...) {
        // Nothing was committed; a folder this call created holds nothing worth keeping.
        ws.reset();
        if (!existed)
            std::filesystem::remove_all(folder, ec);
        throw;
    }
    return report;
}

} // namespace rd::synth
