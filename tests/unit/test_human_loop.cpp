// The human loop (issue "Close the human loop"): people's GSB verdicts become pair labels
// (plurality, ties kept, annotators filtered by honeypot accuracy, honeypots and repeats left
// out, simulated annotators left out unless asked), a pair study chooses the pairs an RM is
// least sure of and says so, and simulated verdicts never count as human in the reports.
#include "common/error.h"
#include "fixtures.h"
#include "label/gsb_report.h"
#include "label/human_labels.h"
#include "label/simulated_annotator.h"
#include "label/study_builder.h"
#include "results/results_tables.h"
#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/pair_repository.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "study_workspace.h"

#include <QtTest>

#include <algorithm>

using namespace rd;
using store::Preference;
using store::Verdict;

namespace {

struct StudyFixture {
    std::unique_ptr<store::Workspace> ws;
    store::GsbStudyRecord study;
    std::vector<store::GsbItemRecord> normal; // the study's normal items, by position
};

StudyFixture studyFixture(const std::filesystem::path& folder) {
    StudyFixture f;
    f.ws = test::studyWorkspace(folder);
    f.study = f.ws->gsb().findStudy(test::kStudyName).value();
    f.normal = f.ws->gsb().items(f.study.id);
    return f;
}

// The preference a "Good" gives, in the pair's own order: the candidate generator's side.
Preference candidateSide(store::Workspace& ws, const store::PairRecord& pair,
                         const std::string& candidateGenerator) {
    return ws.generations().get(pair.genA)->generator == candidateGenerator ? Preference::A
                                                                            : Preference::B;
}

store::RowId addItem(store::Workspace& ws, store::RowId study, store::RowId pair,
                     store::ItemRole role, std::int64_t position,
                     std::optional<Verdict> expected = std::nullopt) {
    store::GsbItemRecord item;
    item.studyId = study;
    item.pairId = pair;
    item.role = role;
    item.position = position;
    item.expected = expected;
    return ws.gsb().addItem(item);
}

void judge(store::Workspace& ws, store::RowId item, const std::string& annotator, Verdict v) {
    store::GsbJudgmentRecord j;
    j.itemId = item;
    j.annotator = annotator;
    j.verdict = v;
    ws.gsb().addJudgment(j);
}

// A synthetic pair with a known winner that is not one of the study's items.
store::PairRecord outsidePair(StudyFixture& f) {
    std::set<store::RowId> inStudy;
    for (const auto& item : f.normal)
        inStudy.insert(item.pairId);
    for (const auto& p : f.ws->pairs().list({}))
        if (!inStudy.count(p.id) && (p.preferred == Preference::A || p.preferred == Preference::B))
            return p;
    throw Error(ErrorKind::NotFound, "no pair outside the study");
}

} // namespace

class HumanLoopTest : public QObject {
    Q_OBJECT

private slots:
    // Hand-made verdict table over four pairs and five annotators: ana and ben pass the
    // honeypot, cat fails it (left out), dan met none (kept, unchecked), sim is simulated.
    void aggregationFollowsThePluralityOfTrustedPeople() {
        test::ScratchDir dir;
        StudyFixture f = studyFixture(dir / "ws");
        QVERIFY(f.normal.size() >= 4);
        store::Workspace& ws = *f.ws;
        const auto pairOf = [&](int i) {
            return ws.pairs().get(f.normal[size_t(i)].pairId).value();
        };
        const store::RowId p1 = f.normal[0].id, p2 = f.normal[1].id, p3 = f.normal[2].id,
                           p4 = f.normal[3].id;
        const store::PairRecord known = outsidePair(f);
        const Verdict right =
            (known.preferred == candidateSide(ws, known, f.study.candidateGenerator))
                ? Verdict::Good
                : Verdict::Bad;
        const Verdict wrong = right == Verdict::Good ? Verdict::Bad : Verdict::Good;
        const store::RowId honeypot =
            addItem(ws, f.study.id, known.id, store::ItemRole::Honeypot, 100, right);
        const store::RowId repeat =
            addItem(ws, f.study.id, f.normal[0].pairId, store::ItemRole::Repeat, 101);
        ws.gsb().registerSimulatedAnnotator("sim", "{}");

        judge(ws, honeypot, "ana", right);
        judge(ws, honeypot, "ben", right);
        judge(ws, honeypot, "cat", wrong);
        judge(ws, honeypot, "sim", right);
        // p1: G, G, B from people; ana's repeat says B and cat says B: neither counts.
        judge(ws, p1, "ana", Verdict::Good);
        judge(ws, p1, "ben", Verdict::Good);
        judge(ws, p1, "dan", Verdict::Bad);
        judge(ws, p1, "cat", Verdict::Bad);
        judge(ws, p1, "cat", Verdict::Bad);
        judge(ws, repeat, "ana", Verdict::Bad);
        judge(ws, repeat, "ben", Verdict::Bad);
        // p2: Same twice against one Good: a tie, kept as a tie.
        judge(ws, p2, "ana", Verdict::Same);
        judge(ws, p2, "ben", Verdict::Same);
        judge(ws, p2, "dan", Verdict::Good);
        // p3: one vote each from people: undecided; the simulated Good decides it when counted.
        judge(ws, p3, "ana", Verdict::Good);
        judge(ws, p3, "ben", Verdict::Bad);
        judge(ws, p3, "dan", Verdict::Same);
        judge(ws, p3, "sim", Verdict::Good);
        // p4: only the annotator who failed the honeypot.
        judge(ws, p4, "cat", Verdict::Bad);

        const label::HumanLabels labels = label::aggregateHumanLabels(ws, {});
        const std::string candidate = f.study.candidateGenerator;
        QCOMPARE(labels.labelFor(pairOf(0)),
                 std::optional(candidateSide(ws, pairOf(0), candidate)));
        QCOMPARE(labels.labelFor(pairOf(1)), std::optional(Preference::Tie));
        QVERIFY(!labels.labelFor(pairOf(2)));
        QVERIFY(!labels.labelFor(pairOf(3)));
        QVERIFY(!labels.labelFor(known)); // a honeypot is a check, not a label
        QCOMPARE(int(labels.byGenerations.size()), 2);
        QCOMPARE(labels.undecidedPairs, 1);
        QCOMPARE(labels.simulatedVerdicts, 1);
        QCOMPARE(labels.leftOutVerdicts, 3); // cat's p1 twice and p4
        QCOMPARE(labels.verdictsUsed, 9);
        QCOMPARE(labels.annotatorsLeftOut, std::vector<std::string>{"cat"});
        QCOMPARE(labels.annotatorsUnchecked, std::vector<std::string>{"dan"});
        const auto p1Key = std::minmax(pairOf(0).genA, pairOf(0).genB);
        const auto& p1Votes = labels.byGenerations.at({p1Key.first, p1Key.second});
        QCOMPARE(p1Votes.votesA + p1Votes.votesB + p1Votes.votesTie, 3);

        // The same two images in the other order take the label turned round.
        store::PairRecord swapped = pairOf(0);
        std::swap(swapped.genA, swapped.genB);
        const Preference first = *labels.labelFor(pairOf(0));
        QCOMPARE(labels.labelFor(swapped),
                 std::optional(first == Preference::A ? Preference::B : Preference::A));

        // Simulated verdicts only when asked; a lower threshold keeps cat.
        const auto withSim = label::aggregateHumanLabels(ws, {0.8, true});
        QCOMPARE(withSim.labelFor(pairOf(2)),
                 std::optional(candidateSide(ws, pairOf(2), candidate)));
        const auto lenient = label::aggregateHumanLabels(ws, {0.0, false});
        QCOMPARE(lenient.labelFor(pairOf(3)),
                 std::optional(candidateSide(ws, pairOf(3), candidate) == Preference::A
                                   ? Preference::B
                                   : Preference::A));
        QVERIFY_THROWS_EXCEPTION(Error, label::aggregateHumanLabels(ws, {1.5, false}));
        // A person's name cannot turn into a simulated annotator's.
        QVERIFY_THROWS_EXCEPTION(Error, ws.gsb().registerSimulatedAnnotator("ana", "{}"));
    }

    // Uncertain selection takes the pairs with the smallest hand-set certainty, leaves out pairs
    // someone judged, and the study says it is not an unbiased sample.
    void uncertainSelectionTakesTheLeastSurePairs() {
        test::ScratchDir dir;
        StudyFixture f = studyFixture(dir / "ws");
        store::Workspace& ws = *f.ws;
        judge(ws, f.normal[0].id, "ana", Verdict::Good);
        const auto judgedPair = ws.pairs().get(f.normal[0].pairId).value();
        label::PairStudyOptions o;
        o.name = "round 1";
        o.maxItems = 3;
        o.honeypotRate = 0.0;
        o.repeatRate = 0.0;
        o.selection = label::Selection::Uncertain;
        o.selectionModel = "models/rm";
        double next = 0.9;
        std::vector<store::RowId> ids;
        for (const auto& p : ws.pairs().list({}))
            ids.push_back(p.id);
        QVERIFY(ids.size() >= 8);
        for (store::RowId id : ids) { // decreasing certainty
            next -= 0.1;
            o.certainty[id] = next;
        }
        o.certainty[judgedPair.id] = -5.0; // least sure of all, but judged already
        std::vector<store::RowId> expected;
        for (store::RowId id : ids)
            if (id != judgedPair.id)
                expected.push_back(id);
        std::sort(expected.begin(), expected.end(),
                  [&](auto x, auto y) { return o.certainty[x] < o.certainty[y]; });
        expected.resize(3);
        const label::StudyReport r = label::createPairStudy(ws, o);
        std::vector<store::RowId> chosen;
        for (const auto& item : ws.gsb().items(r.studyId))
            chosen.push_back(item.pairId);
        std::sort(chosen.begin(), chosen.end());
        std::sort(expected.begin(), expected.end());
        QCOMPARE(chosen, expected);

        const nlohmann::json report = label::gsbReport(ws, "round 1");
        QCOMPARE(report["selection"].get<std::string>(), std::string("uncertain"));
        QCOMPARE(report["unbiased"].get<bool>(), false);
        QCOMPARE(report["candidate"].get<std::string>(), std::string(label::kPairSideB));
        const auto gsb = results::resultTable(ws, results::ResultTable::Gsb);
        const auto column = std::find(gsb.columns.begin(), gsb.columns.end(), "selection");
        QVERIFY(column != gsb.columns.end());
        bool marked = false;
        for (const auto& row : gsb.rows)
            marked |=
                std::get<std::string>(row[0]) == "round 1" &&
                std::get<std::string>(row[size_t(column - gsb.columns.begin())]) == "uncertain";
        QVERIFY(marked);
        // A random pair study is the unbiased kind.
        o.name = "round 2";
        o.selection = label::Selection::Random;
        label::createPairStudy(ws, o);
        QCOMPARE(label::gsbReport(ws, "round 2")["unbiased"].get<bool>(), true);
        o.name = "round 3";
        o.selection = label::Selection::Uncertain;
        o.certainty.clear();
        QVERIFY_THROWS_EXCEPTION(Error, label::createPairStudy(ws, o));
    }

    // The simulated annotator answers through the labeling session like a person; with no
    // error it agrees with the synthetic winners, its verdicts stay out of the score and the
    // agreement (with two people, Cohen's kappa is theirs alone), and an error rate of 1
    // changes every verdict.
    void simulatedVerdictsNeverCountAsHuman() {
        test::ScratchDir dir;
        StudyFixture f = studyFixture(dir / "ws");
        store::Workspace& ws = *f.ws;
        label::SimulationReport r =
            label::simulateAnnotator(ws, {test::kStudyName, "oracle-0", 0.0, 1, 0});
        QCOMPARE(r.judged, int(f.normal.size()));
        QCOMPARE(r.wrongOnPurpose, 0);
        QCOMPARE(r.remaining, 0);
        // Every decided synthetic pair gets the oracle's verdict for its winner.
        const auto withSim = label::aggregateHumanLabels(ws, {0.8, true});
        int agree = 0, decided = 0;
        for (const auto& item : f.normal) {
            const auto pair = ws.pairs().get(item.pairId).value();
            if (pair.preferred != Preference::A && pair.preferred != Preference::B)
                continue;
            ++decided;
            agree += withSim.labelFor(pair) == std::optional(pair.preferred) ? 1 : 0;
        }
        QVERIFY(decided > 0);
        QCOMPARE(agree, decided);

        label::simulateAnnotator(ws, {test::kStudyName, "oracle-all-wrong", 1.0, 2, 0});
        const auto sim = ws.gsb().judgments(f.study.id);
        std::map<store::RowId, Verdict> careful;
        for (const auto& j : sim)
            if (j.annotator == "oracle-0")
                careful[j.itemId] = j.verdict;
        for (const auto& j : sim)
            if (j.annotator == "oracle-all-wrong")
                QVERIFY(careful.at(j.itemId) != j.verdict);

        for (const auto& item : f.normal) {
            judge(ws, item.id, "ana", Verdict::Good);
            judge(ws, item.id, "ben", Verdict::Bad);
        }
        const nlohmann::json report = label::gsbReport(ws, test::kStudyName);
        QCOMPARE(report["good"].get<int>(), int(f.normal.size()));
        QCOMPARE(report["bad"].get<int>(), int(f.normal.size()));
        QCOMPARE(report["simulated_verdicts_left_out"].get<int>(), 2 * int(f.normal.size()));
        QVERIFY(report["agreement"].contains("cohen_kappa"));
        QCOMPARE(report["annotators"]["oracle-0"]["simulated"].get<bool>(), true);
        QCOMPARE(report["annotators"]["ana"]["simulated"].get<bool>(), false);
        const auto agreement = results::resultTable(ws, results::ResultTable::Agreement);
        QCOMPARE(std::get<std::int64_t>(agreement.rows.at(0)[1]), std::int64_t(2));
        const nlohmann::json all = label::gsbReport(ws, test::kStudyName, {true});
        QCOMPARE(all["includes_simulated"].get<bool>(), true);
        QVERIFY(all["good"].get<int>() + all["same"].get<int>() + all["bad"].get<int>() ==
                4 * int(f.normal.size()));
        // The error rate is checked; a prompt the oracle cannot read is named.
        QVERIFY_THROWS_EXCEPTION(Error,
                                 label::simulateAnnotator(ws, {test::kStudyName, "x", 1.5, 1, 0}));
    }

    // The label curve lists the RMs trained on people's labels, with their label count, how
    // their studies chose the pairs and their stored ID / OOD accuracy; RMs trained on the
    // pairs' own labels are not on it.
    void labelCurveComparesRandomAndUncertainStudies() {
        test::ScratchDir dir;
        StudyFixture f = studyFixture(dir / "ws");
        store::Workspace& ws = *f.ws;
        label::PairStudyOptions o;
        o.name = "random round";
        o.maxItems = 2;
        label::createPairStudy(ws, o);
        o.name = "uncertain round";
        o.selection = label::Selection::Uncertain;
        for (const auto& p : ws.pairs().list({}))
            o.certainty[p.id] = 0.5;
        label::createPairStudy(ws, o);
        const auto trained = [&](const std::string& model, const nlohmann::json& config,
                                 double labels, double idAccuracy) {
            const store::RowId run = ws.runs().create("rm_train", config.dump());
            ws.runs().addMetrics({{run, 0, "data/human_labelled_pairs", labels}});
            ws.runs().setCheckpoint(run, model);
            ws.runs().setStatus(run, store::RunStatus::Done);
            const store::RowId eval = ws.runs().create(
                "rm_eval", nlohmann::json{{"model", model}, {"split", "id"}}.dump());
            ws.runs().addMetrics({{eval, 0, "eval/accuracy", idAccuracy}});
            ws.runs().setStatus(eval, store::RunStatus::Done);
        };
        const std::string root = (dir / "ws" / "models").string();
        trained(root + "/active",
                {{"labels", "humans"}, {"studies", {"random round", "uncertain round"}}}, 6, 0.8);
        trained(root + "/random-big", {{"labels", "humans"}, {"studies", {"random round"}}}, 10,
                0.7);
        trained(root + "/random-small", {{"labels", "both"}, {"studies", {"random round"}}}, 4,
                0.6);
        trained(root + "/synthetic", {{"labels", "pairs"}}, 0, 0.9);
        const Table t = results::resultTable(ws, results::ResultTable::LabelCurve);
        QCOMPARE(t.columns, (std::vector<std::string>{"selection", "model", "human_labels",
                                                      "id_accuracy", "ood_accuracy"}));
        QCOMPARE(t.rows.size(), size_t(3));
        QCOMPARE(std::get<std::string>(t.rows[0][0]), std::string("random"));
        QCOMPARE(std::get<std::string>(t.rows[0][1]), root + "/random-small");
        QCOMPARE(std::get<double>(t.rows[1][2]), 10.0);
        QCOMPARE(std::get<double>(t.rows[1][3]), 0.7);
        QCOMPARE(std::get<std::string>(t.rows[2][0]), std::string("uncertain"));
        QCOMPARE(std::get<double>(t.rows[2][3]), 0.8);
        QVERIFY(std::holds_alternative<std::monostate>(t.rows[2][4])); // no OOD evaluation
    }
};

QTEST_APPLESS_MAIN(HumanLoopTest)
#include "test_human_loop.moc"
