// Every repository: insert, look up, list, and the uniqueness rules imports rely on.
#include "common/error.h"
#include "fixtures.h"
#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/media_repository.h"
#include "store/model_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/rm_judgment_repository.h"
#include "store/run_locks.h"
#include "store/run_repository.h"
#include "store/workspace.h"

#include <QtTest>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace rd;
using namespace rd::store;

namespace {

MediaRecord image(const std::string& path, char shaDigit) {
    MediaRecord m;
    m.path = path;
    m.width = 64;
    m.height = 48;
    m.sha256 = std::string(64, shaDigit);
    return m;
}

// A prompt with two generations and a pair between them; returns the pair id.
RowId seedPair(Workspace& ws, const std::string& text = "two red circles", char shaA = 'a',
               char shaB = 'b') {
    const RowId prompt = ws.prompts().findOrInsert({0, text, "counting", "train", "{}"});
    const RowId ma = ws.media().insert(image(text + "-a.png", shaA));
    const RowId mb = ws.media().insert(image(text + "-b.png", shaB));
    const RowId ga = ws.generations().findOrInsert({0, prompt, ma, "sft", 1, std::nullopt});
    const RowId gb = ws.generations().findOrInsert({0, prompt, mb, "refl", 2, 100});
    PairRecord pair;
    pair.promptId = prompt;
    pair.genA = ga;
    pair.genB = gb;
    pair.preferred = Preference::B;
    pair.source = PairSource::Synthetic;
    pair.rationale = "image 2 shows two circles";
    return *ws.pairs().insertIfAbsent(pair);
}

} // namespace

class TestRepositories : public QObject {
    Q_OBJECT

private slots:
    void mediaDeduplicatesBySha() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        MediaRecord video = image("clip.mp4", 'c');
        video.kind = MediaKind::Video;
        video.frames = 48;
        video.fps = 24.0;
        video.durationS = 2.0;
        const RowId id = ws->media().insert(video);
        const auto found = ws->media().findBySha256(std::string(64, 'c'));
        QVERIFY(found.has_value());
        QCOMPARE(found->id, id);
        QCOMPARE(found->kind, MediaKind::Video);
        QCOMPARE(found->frames, std::int64_t(48));
        QCOMPARE(*found->fps, 24.0);
        QVERIFY(!ws->media().findBySha256(std::string(64, 'd')).has_value());
        QVERIFY_THROWS_EXCEPTION(rd::Error, ws->media().insert(image("other.png", 'c')));
        MediaRecord bad = image("bad.png", 'e');
        bad.width = 0;
        QVERIFY_THROWS_EXCEPTION(rd::Error, ws->media().insert(bad));

        // findOrInsert describes a file only when its content is new.
        int described = 0;
        bool added = true;
        const auto describe = [&] {
            ++described;
            return image("new.png", 'x');
        };
        QCOMPARE(ws->media().findOrInsert(std::string(64, 'c'), describe, &added), id);
        QVERIFY(!added);
        QCOMPARE(described, 0);
        const RowId fresh = ws->media().findOrInsert(std::string(64, 'f'), describe, &added);
        QVERIFY(added && described == 1 && fresh != id);
        QCOMPARE(ws->media().get(fresh)->sha256, std::string(64, 'f')); // the hash it was found by
        QCOMPARE(ws->media().findOrInsert(std::string(64, 'f'), describe, &added), fresh);
        QVERIFY(!added && described == 1);
    }

    void promptsAreUniqueByTextCategorySplit() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        bool inserted = false;
        const RowId a =
            ws->prompts().findOrInsert({0, "a cat", "single", "train", "{}"}, &inserted);
        QVERIFY(inserted);
        const RowId b =
            ws->prompts().findOrInsert({0, "a cat", "single", "train", "{}"}, &inserted);
        QVERIFY(!inserted);
        QCOMPARE(a, b);
        const RowId c = ws->prompts().findOrInsert({0, "a cat", "single", "test", "{}"}, &inserted);
        QVERIFY(inserted);
        QVERIFY(c != a);
        QCOMPARE(ws->prompts().listBySplit("test").size(), size_t(1));
        QCOMPARE(ws->prompts().get(a)->category, std::string("single"));
        QVERIFY_THROWS_EXCEPTION(rd::Error,
                                 ws->prompts().findOrInsert({0, "x", "", "train", "not json"}));
    }

    void generationsAndPairs() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        const RowId pairId = seedPair(*ws);
        const auto pair = ws->pairs().get(pairId);
        QVERIFY(pair.has_value());
        QCOMPARE(pair->preferred, Preference::B);
        QCOMPARE(pair->source, PairSource::Synthetic);
        QCOMPARE(ws->generations().get(pair->genB)->step, std::optional<std::int64_t>(100));
        QCOMPARE(ws->generations().listByGenerator("sft").size(), size_t(1));

        // The same pair again is not added twice.
        PairRecord again = *pair;
        again.preferred = Preference::A;
        QVERIFY(!ws->pairs().insertIfAbsent(again).has_value());
        QCOMPARE(ws->pairs().get(pairId)->preferred, Preference::B);

        ws->pairs().setPreference(pairId, Preference::Tie, "both show two");
        QCOMPARE(ws->pairs().get(pairId)->preferred, Preference::Tie);

        seedPair(*ws, "a blue square", 'c', 'd');
        PairFilter filter;
        filter.split = "train";
        QCOMPARE(ws->pairs().list(filter).size(), size_t(2));
        filter.limit = 1;
        filter.offset = 1;
        const auto page = ws->pairs().list(filter);
        QCOMPARE(page.size(), size_t(1));
        QVERIFY(page[0].id != pairId);
        filter = {};
        filter.source = PairSource::Human;
        QCOMPARE(ws->pairs().list(filter).size(), size_t(0));
    }

    void modelsUpsertByName() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        const RowId id = ws->models().upsert({0, "rm-s", "rd-vlm", 1000, "models/rm-s", ""});
        const RowId same = ws->models().upsert({0, "rm-s", "rd-vlm", 2000, "models/rm-s2", ""});
        QCOMPARE(id, same);
        QCOMPARE(ws->models().findByName("rm-s")->paramCount, std::int64_t(2000));
        QCOMPARE(ws->models().list().size(), size_t(1));
        QVERIFY(!ws->models().findByName("nope").has_value());
    }

    void rmJudgmentsReplacePerOrder() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        const RowId pairId = seedPair(*ws);
        const RowId model = ws->models().upsert({0, "rm", "rd-vlm", 10, "m", ""});
        ws->rmJudgments().upsert({0, pairId, model, JudgeOrder::AB, 0.8, "yes. ...", 12.5, ""});
        ws->rmJudgments().upsert({0, pairId, model, JudgeOrder::BA, 0.3, "no. ...", 11.0, "", 0.6});
        ws->rmJudgments().upsert({0, pairId, model, JudgeOrder::AB, 0.4, "yes!", 10.0, "", 0.1});
        const auto judgments = ws->rmJudgments().listForPair(pairId);
        QCOMPARE(judgments.size(), size_t(2));
        for (const auto& j : judgments) {
            // The later AB judgment replaced P(yes) and P(no) both.
            QCOMPARE(j.pYes, j.order == JudgeOrder::AB ? 0.4 : 0.3);
            QVERIFY(j.pNo.has_value());
            QCOMPARE(*j.pNo, j.order == JudgeOrder::AB ? 0.1 : 0.6);
        }
        QCOMPARE(ws->rmJudgments().listForModel(model).size(), size_t(2));
        QVERIFY_THROWS_EXCEPTION(
            rd::Error,
            ws->rmJudgments().upsert({0, pairId, model, JudgeOrder::AB, 1.5, "", 0, ""}));
        QVERIFY_THROWS_EXCEPTION(
            rd::Error,
            ws->rmJudgments().upsert({0, pairId, model, JudgeOrder::AB, 0.5, "", 0, "", -0.1}));
        // A judgment without P(no) (a regressive RM's) reads back without it.
        ws->rmJudgments().upsert({0, pairId, model, JudgeOrder::AB, 0.7, "", 0, ""});
        for (const auto& j : ws->rmJudgments().listForPair(pairId))
            QCOMPARE(j.pNo.has_value(), j.order == JudgeOrder::BA);
    }

    void gsbStudiesItemsJudgments() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        const RowId pairId = seedPair(*ws);
        const RowId study = ws->gsb().createStudy({0, "sft-vs-refl", "sft", "refl", "{}", ""});
        QCOMPARE(ws->gsb().findStudy("sft-vs-refl")->candidateGenerator, std::string("refl"));
        const RowId item = ws->gsb().addItem({0, study, pairId, true, 0, ItemRole::Normal, {}});
        ws->gsb().addItem({0, study, pairId, false, 1, ItemRole::Honeypot, Verdict::Good});
        const auto items = ws->gsb().items(study);
        QCOMPARE(items.size(), size_t(2));
        QCOMPARE(items[1].role, ItemRole::Honeypot);
        QCOMPARE(*items[1].expected, Verdict::Good);

        const RowId j1 = ws->gsb().addJudgment({0, item, "ann", Verdict::Good, "", 1500, ""});
        ws->gsb().addJudgment({0, item, "bob", Verdict::Bad, "blurry", 900, ""});
        QCOMPARE(ws->gsb().judgments(study).size(), size_t(2));
        const auto mine = ws->gsb().judgmentsBy(study, "ann");
        QCOMPARE(mine.size(), size_t(1));
        QCOMPARE(mine[0].verdict, Verdict::Good);
        QCOMPARE(mine[0].spentMs, std::int64_t(1500));
        QVERIFY(!mine[0].createdAt.empty());
        QVERIFY(ws->gsb().removeJudgment(j1));
        QVERIFY(!ws->gsb().removeJudgment(j1));
        QCOMPARE(ws->gsb().judgments(study).size(), size_t(1));
        QVERIFY_THROWS_EXCEPTION(rd::Error,
                                 ws->gsb().addJudgment({0, item, "", Verdict::Good, "", 0, ""}));
        QVERIFY_THROWS_EXCEPTION(rd::Error,
                                 ws->gsb().addJudgment({0, 9999, "ann", Verdict::Good, "", 0, ""}));
    }

    void runsAndMetrics() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        const RowId run = ws->runs().create("rm-train", R"({"lr": 0.0003})");
        QCOMPARE(ws->runs().get(run)->status, RunStatus::Queued);
        ws->runs().setStatus(run, RunStatus::Running);
        QVERIFY(ws->runs().get(run)->startedAt.has_value());
        ws->runs().addMetrics({{run, 1, "loss", 2.0}, {run, 2, "loss", 1.5}, {run, 1, "acc", 0.5}});
        ws->runs().addMetrics({{run, 2, "loss", 1.25}}); // logged again: replaces
        const auto loss = ws->runs().metrics(run, "loss");
        QCOMPARE(loss.size(), size_t(2));
        QCOMPARE(loss[1].value, 1.25);
        QCOMPARE(ws->runs().metricNames(run), (std::vector<std::string>{"acc", "loss"}));
        ws->runs().setCheckpoint(run, "ckpt/step2");
        ws->runs().setStatus(run, RunStatus::Done);
        const auto done = ws->runs().get(run);
        QCOMPARE(done->status, RunStatus::Done);
        QVERIFY(done->finishedAt.has_value());
        QCOMPARE(done->checkpoint, std::string("ckpt/step2"));
        QCOMPARE(ws->runs().list().size(), size_t(1));
        QVERIFY_THROWS_EXCEPTION(rd::Error, ws->runs().create("x", "{broken"));
    }

    // A process killed before its first checkpoint leaves its run "running"; the next open of the
    // workspace closes it (its lease is free), a run still leased stays, and a resumed run keeps
    // the time it first started.
    void interruptedRunsCloseWhenTheWorkspaceOpens() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        const RowId killed = ws->runs().create("rm_train", "{}");
        const RowId alive = ws->runs().create("rm_train", "{}");
        ws->runs().setStatus(killed, RunStatus::Running);
        ws->runs().setStatus(alive, RunStatus::Running);
        const std::string startedAt = *ws->runs().get(killed)->startedAt;
        const auto lock = runLockFile(ws->folder(), alive);
        std::filesystem::create_directories(lock.parent_path());
        const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        QVERIFY(fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0); // as a live trainer holds it
        ws.reset();

        ws = Workspace::open(dir / "ws");
        QCOMPARE(ws->runs().get(killed)->status, RunStatus::Failed);
        QVERIFY(ws->runs().get(killed)->finishedAt.has_value());
        QCOMPARE(ws->runs().get(alive)->status, RunStatus::Running);
        ::close(fd);

        QTest::qWait(20);                                 // timestamps have millisecond resolution
        ws->runs().setStatus(killed, RunStatus::Running); // resumed
        QCOMPARE(*ws->runs().get(killed)->startedAt, startedAt);
        QVERIFY(!ws->runs().get(killed)->finishedAt.has_value());
    }

    void mediaPathsRelativeInsideWorkspace() {
        test::ScratchDir dir;
        auto ws = Workspace::create(dir / "ws");
        const auto inside = ws->folder() / "media" / "ab" / "x.png";
        QCOMPARE(ws->storableMediaPath(inside), std::string("media/ab/x.png"));
        QCOMPARE(ws->resolveMediaPath("media/ab/x.png"), inside);
        const auto outside = std::filesystem::path("/data/images/y.png");
        QCOMPARE(ws->storableMediaPath(outside), std::string("/data/images/y.png"));
        QCOMPARE(ws->resolveMediaPath("/data/images/y.png"), outside);
    }
};

QTEST_APPLESS_MAIN(TestRepositories)
#include "test_repositories.moc"
