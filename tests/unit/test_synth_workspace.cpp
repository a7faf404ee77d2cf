// ShapeWorld into a workspace: files first, rows in one transaction (a failure or a cancel
// leaves the rows as they were), the same seed gives the same bytes and adds nothing twice,
// stored pairs give back both rationale formats in either order, clips decode and score, and
// the demo has its generators, GSB study and every category in every split with no held-out
// combination in train.
#include "common/error.h"
#include "fixtures.h"
#include "store/file_hash.h"
#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/media_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"
#include "synth/demo_builder.h"
#include "synth/oracle_file.h"
#include "synth/pair_rationale.h"
#include "synth/split_rules.h"
#include "synth/synth_json.h"
#include "synth/toy_generator.h"

#include <QtTest>

#include <map>
#include <set>

using namespace rd;
using namespace rd::synth;
namespace fs = std::filesystem;

namespace {

std::vector<PromptBundle> smallBundles(Split split, int count, std::uint64_t seed) {
    return makeBundles(split, MediaMode::Image, count, seed, BundleOptions{});
}

std::set<std::string> mediaShas(store::Workspace& ws) {
    std::set<std::string> shas;
    for (store::RowId id = 1; id <= ws.counts().at("media"); ++id)
        if (auto m = ws.media().get(id))
            shas.insert(m->path + " " + m->sha256);
    return shas;
}

} // namespace

class TestSynthWorkspace : public QObject {
    Q_OBJECT

private slots:
    void writesFilesThenRows() {
        test::ScratchDir dir;
        auto ws = store::Workspace::create(dir / "ws");
        const auto bundles = smallBundles(Split::Train, 12, 3);
        const SynthWriteReport r = writeBundles(*ws, bundles, {});
        QCOMPARE(r.prompts, 12L);
        QVERIFY(r.mediaAdded > 40);
        QCOMPARE(r.pairsAdded, long(r.pairs.size()));
        const auto counts = ws->counts();
        QCOMPARE(counts.at("pairs"), std::int64_t(r.pairsAdded));
        for (const store::PairRecord& p : ws->pairs().list({})) {
            QCOMPARE(p.source, store::PairSource::Synthetic);
            QCOMPARE(p.split, std::string("train"));
            const bool yes = p.rationale.rfind("yes. ", 0) == 0;
            QVERIFY(yes || p.rationale.rfind("no. ", 0) == 0);
            QCOMPARE(yes, p.preferred == store::Preference::B); // "Is image 2 better?"
            const auto prompt = ws->prompts().get(p.promptId);
            QVERIFY(prompt);
            QCOMPARE(promptSpecOf(*prompt),
                     specFromJson(nlohmann::json::parse(prompt->metadataJson).at("shapeworld")));
            for (store::RowId g : {p.genA, p.genB}) {
                const auto media = ws->media().get(ws->generations().get(g)->mediaId);
                QVERIFY(media->path.rfind("media/shapeworld/train/", 0) == 0);
                const fs::path file = ws->resolveMediaPath(media->path);
                QCOMPARE(store::sha256File(file), media->sha256);
                QCOMPARE(file.stem().string(), media->sha256);
                QVERIFY(fs::exists(sidecarPath(file)));
                QCOMPARE(media->width, 64);
                QCOMPARE(media->kind, store::MediaKind::Image);
            }
        }
        std::set<std::string> generators;
        for (const char* g : {kCleanGenerator, kSloppyGenerator, kNearMissGenerator})
            if (!ws->generations().listByGenerator(g).empty())
                generators.insert(g);
        QCOMPARE(generators.size(), size_t(3));
    }

    void sameSeedSameBytesAndNothingTwice() {
        test::ScratchDir dir;
        auto a = store::Workspace::create(dir / "a");
        auto b = store::Workspace::create(dir / "b");
        writeBundles(*a, smallBundles(Split::Id, 8, 21), {});
        writeBundles(*b, smallBundles(Split::Id, 8, 21), {});
        QCOMPARE(mediaShas(*a), mediaShas(*b));
        const auto before = a->counts();
        const SynthWriteReport again = writeBundles(*a, smallBundles(Split::Id, 8, 21), {});
        QCOMPARE(again.promptsAdded, 0L);
        QCOMPARE(again.mediaAdded, 0L);
        QCOMPARE(again.generationsAdded, 0L);
        QCOMPARE(again.pairsAdded, 0L);
        QCOMPARE(a->counts(), before);
        writeBundles(*a, smallBundles(Split::Id, 8, 22), {});
        QVERIFY(a->counts().at("media") > before.at("media"));
    }

    void failureLeavesRowsAsTheyWere() {
        test::ScratchDir dir;
        auto ws = store::Workspace::create(dir / "ws");
        writeBundles(*ws, smallBundles(Split::Train, 4, 1), {});
        const auto before = ws->counts();
        QVERIFY_THROWS_EXCEPTION(Error,
                                 writeBundles(*ws, smallBundles(Split::Train, 6, 2), {},
                                              [](store::Workspace&, const SynthWriteReport&) {
                                                  throw Error(ErrorKind::Internal, "injected");
                                              }));
        QCOMPARE(ws->counts(), before);
        SynthWriteOptions cancel;
        cancel.progress = [](const SynthProgress&) { return false; };
        try {
            writeBundles(*ws, smallBundles(Split::Train, 60, 3), cancel);
            QFAIL("a cancelled write returned");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
        QCOMPARE(ws->counts(), before);
    }

    void storedPairsGiveBothFormatsInEitherOrder() {
        test::ScratchDir dir;
        auto ws = store::Workspace::create(dir / "ws");
        const SynthWriteReport r = writeBundles(*ws, smallBundles(Split::Ood, 12, 8), {});
        int checked = 0;
        for (const WrittenPair& w : r.pairs) {
            const store::PairRecord pair = *ws->pairs().get(w.pairId);
            const PairContext ab = rationaleForPair(*ws, w.pairId, store::JudgeOrder::AB);
            QVERIFY(ab.fromScenes);
            QCOMPARE(ab.rationale.decisionFirst, pair.rationale);
            const std::string answer = ab.rationale.answerYes ? "yes" : "no";
            QVERIFY(ab.rationale.reasoningFirst.size() > answer.size() &&
                    ab.rationale.reasoningFirst.substr(ab.rationale.reasoningFirst.size() -
                                                       answer.size() - 8) == "Answer: " + answer);
            QVERIFY(ab.taskInstruction.find("professional image quality evaluator") !=
                    std::string::npos);
            const PairContext ba = rationaleForPair(*ws, w.pairId, store::JudgeOrder::BA);
            if (pair.preferred != store::Preference::Tie)
                QCOMPARE(ba.rationale.answerYes, !ab.rationale.answerYes);
            QCOMPARE(ba.difficulty, ab.difficulty);
            ++checked;
        }
        QVERIFY(checked > 30);
        // Without sidecars the oracle looks at the images and reaches the same verdict.
        const store::PairRecord pair = *ws->pairs().get(r.pairs.front().pairId);
        for (store::RowId g : {pair.genA, pair.genB})
            fs::remove(sidecarPath(
                ws->resolveMediaPath(ws->media().get(ws->generations().get(g)->mediaId)->path)));
        const PairContext seen = rationaleForPair(*ws, pair.id);
        QVERIFY(!seen.fromScenes);
        QCOMPARE(seen.rationale.answerYes, pair.preferred == store::Preference::B);
        QVERIFY_THROWS_EXCEPTION(Error, rationaleForPair(*ws, 999999));
    }

    void clipsAreWrittenDecodedAndScored() {
        test::ScratchDir dir;
        auto ws = store::Workspace::create(dir / "ws");
        BundleOptions options;
        options.frames = 8;
        const auto bundles = makeBundles(Split::Train, MediaMode::Video, 3, 4, options);
        const SynthWriteReport r = writeBundles(*ws, bundles, {});
        QVERIFY(r.mediaAdded >= 9);
        int scored = 0, agreed = 0;
        for (const WrittenPair& w : r.pairs) {
            const store::PairRecord pair = *ws->pairs().get(w.pairId);
            const PromptSpec spec = promptSpecOf(*ws->prompts().get(pair.promptId));
            QVERIFY(spec.isVideo());
            std::vector<Judgement> seen;
            for (store::RowId g : {pair.genA, pair.genB}) {
                const auto media = ws->media().get(ws->generations().get(g)->mediaId);
                QCOMPARE(media->kind, store::MediaKind::Video);
                QCOMPARE(media->frames, std::int64_t(8));
                QCOMPARE(*media->fps, 8.0);
                QVERIFY(media->path.size() > 4 &&
                        media->path.substr(media->path.size() - 4) == ".mp4");
                seen.push_back(scoreFile(spec, ws->resolveMediaPath(media->path)).judgement);
            }
            const auto winner = decideWinner(seen[0], seen[1]);
            const Winner expected = pair.preferred == store::Preference::A   ? Winner::First
                                    : pair.preferred == store::Preference::B ? Winner::Second
                                                                             : Winner::Tie;
            agreed += winner == expected;
            ++scored;
        }
        QVERIFY(scored >= 6);
        QVERIFY2(agreed >= scored - 1,
                 (std::to_string(agreed) + "/" + std::to_string(scored)).c_str());
    }

    void demoHasEverythingItPromises() {
        test::ScratchDir dir;
        DemoOptions options;
        options.imagePrompts[0] = 24;
        options.imagePrompts[1] = 12;
        options.imagePrompts[2] = 12;
        options.clipPrompts[0] = options.clipPrompts[1] = options.clipPrompts[2] = 3;
        options.imageSize = 64;
        options.clipSize = 64;
        options.frames = 8;
        options.gsbItems = 10;
        options.honeypots = 2;
        options.repeats = 3;
        const DemoReport r = buildDemo(dir / "demo", options);
        QVERIFY(r.images > 200);
        QVERIFY(r.clips > 30);
        auto ws = store::Workspace::open(dir / "demo");

        const auto study = ws->gsb().findStudy(kDemoStudyName);
        QVERIFY(study);
        QCOMPARE(study->baselineGenerator, std::string(kCleanGenerator));
        QCOMPARE(study->candidateGenerator, std::string(kSloppyGenerator));
        const auto items = ws->gsb().items(study->id);
        QCOMPARE(int(items.size()), 10 + r.honeypots + 3);
        QCOMPARE(r.repeats, 3);
        QVERIFY(r.honeypots > 0);
        // A repeat shows a normal item's pair with the candidate on the other side.
        std::map<store::RowId, bool> normalSide;
        for (const auto& item : items)
            if (item.role == store::ItemRole::Normal)
                normalSide[item.pairId] = item.candidateLeft;
        for (const auto& item : items)
            if (item.role == store::ItemRole::Repeat)
                QCOMPARE(item.candidateLeft, !normalSide.at(item.pairId));
        int left = 0;
        for (size_t i = 0; i < items.size(); ++i) {
            QCOMPARE(items[i].position, std::int64_t(i));
            left += items[i].candidateLeft;
            const auto pair = ws->pairs().get(items[i].pairId);
            std::set<std::string> sides;
            for (store::RowId g : {pair->genA, pair->genB})
                sides.insert(ws->generations().get(g)->generator);
            QCOMPARE(sides, (std::set<std::string>{kCleanGenerator, kSloppyGenerator}));
            if (items[i].role == store::ItemRole::Honeypot)
                QCOMPARE(items[i].expected, std::optional<store::Verdict>(store::Verdict::Bad));
        }
        QVERIFY(left > 0 && left < int(items.size()));

        for (Split split : kSplits) {
            std::set<std::string> categories;
            for (const store::PromptRecord& p : ws->prompts().listBySplit(name(split))) {
                categories.insert(p.category);
                const PromptSpec spec = promptSpecOf(p);
                for (const ObjectGroup& g : spec.groups)
                    if (split != Split::Ood && g.color)
                        QVERIFY2(!isHeldOutCombo(*g.color, g.shape), p.text.c_str());
            }
            QCOMPARE(categories.size(), size_t(6));
            store::PairFilter filter;
            filter.split = name(split);
            QVERIFY(!ws->pairs().list(filter).empty());
        }
        // No train image shows a held-out combination either (the sidecars say what is drawn).
        store::PairFilter train;
        train.split = "train";
        for (const store::PairRecord& p : ws->pairs().list(train))
            for (store::RowId g : {p.genA, p.genB}) {
                const auto media = ws->media().get(ws->generations().get(g)->mediaId);
                const Observation seen = observeStoredMedia(ws->resolveMediaPath(media->path));
                for (const ObservedObject& o : seen.frames.front())
                    QVERIFY(!isHeldOutCombo(o.color, o.shape));
            }
        QVERIFY_THROWS_EXCEPTION(Error, buildDemo(dir / "demo", options)); // exists already
    }
};

QTEST_APPLESS_MAIN(TestSynthWorkspace)
#include "test_synth_workspace.moc"
