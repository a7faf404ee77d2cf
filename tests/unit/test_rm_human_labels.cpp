// RM training on people's labels (issue "Close the human loop"): with "labels": "humans" the
// trainer reads the GSB verdicts of a pair study instead of the pairs' preferred column - here
// every verdict says the opposite of the synthetic winner, so a model that learns them ranks
// every pair the other way round - and counts how many labels came from people.
#include "common/error.h"
#include "fixtures.h"
#include "label/human_labels.h"
#include "label/study_builder.h"
#include "quick_rm_spec.h"
#include "reward/pair_certainty.h"
#include "reward/pair_dataset.h"
#include "reward/reward_model.h"
#include "reward/rm_evaluation.h"
#include "reward/rm_trainer.h"
#include "reward/train_spec.h"
#include "store/gsb_repository.h"
#include "store/pair_repository.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "synth/pair_maker.h"
#include "synth/synth_writer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QtTest>

#include <sstream>

using namespace rd;
using namespace rd::reward;
using store::Preference;

namespace {

RmTrainSpec quickSpec(const std::string& out) {
    return test::quickRmSpec(out);
}

nlohmann::json startData(store::Workspace& ws, const RmTrainSpec& spec, RmTrainResult* result) {
    std::ostringstream events;
    *result = trainRewardModel(ws, spec, &events, {});
    std::istringstream lines(events.str());
    for (std::string line; std::getline(lines, line);) {
        const auto event = nlohmann::json::parse(line);
        if (event.at("event") == "start")
            return event.at("data");
    }
    return nullptr;
}

} // namespace

class RmHumanLabelsTest : public QObject {
    Q_OBJECT

private slots:
    void humanVerdictsAreWhatTheModelLearns() {
        test::ScratchDir dir;
        auto ws = store::Workspace::create(dir / "ws");
        synth::writeBundles(
            *ws, synth::makeBundles(synth::Split::Train, synth::MediaMode::Image, 3, 1, {}), {});
        label::PairStudyOptions study;
        study.name = "all pairs";
        study.maxItems = 0;
        study.honeypotRate = study.repeatRate = 0.0;
        const label::StudyReport made = label::createPairStudy(*ws, study);
        // Side B is the candidate of a pair study: "Good" when A won, "Bad" when B did.
        int flipped = 0;
        for (const auto& item : ws->gsb().items(made.studyId)) {
            const auto pair = ws->pairs().get(item.pairId).value();
            if (pair.preferred != Preference::A && pair.preferred != Preference::B)
                continue; // ties stay unlabelled by people
            store::GsbJudgmentRecord j;
            j.itemId = item.id;
            j.annotator = "ana";
            j.verdict =
                pair.preferred == Preference::A ? store::Verdict::Good : store::Verdict::Bad;
            ws->gsb().addJudgment(j);
            ++flipped;
        }
        QVERIFY(flipped >= 6);

        RmTrainSpec spec = quickSpec("rm-humans");
        spec.labels = reward::LabelSource::Humans;
        spec.steps = 150;
        RmTrainResult result;
        const nlohmann::json data = startData(*ws, spec, &result);
        QVERIFY(result.finished);
        QCOMPARE(data["human_labelled_pairs"].get<int>(), flipped);
        QCOMPARE(data["train_pairs"].get<int>(), flipped);
        QVERIFY(data["skipped_without_human_label"].get<int>() > 0); // the ties
        const auto metric = ws->runs().metrics(result.runId, "data/human_labelled_pairs");
        QCOMPARE(metric.size(), size_t(1));
        QCOMPARE(metric[0].value, double(flipped));

        // Scored against the synthetic winners, the model is wrong on every decided pair.
        auto rm = RewardModel::load(dir / "ws" / "rm-humans", torch::kCPU);
        PairDatasetOptions options;
        options.withRationales = false;
        const PairDataset synthetic = loadPairDataset(*ws, *rm, options);
        const RmEvalReport report =
            summarize(synthetic.pairs, scorePairDataset(*rm, synthetic, synthetic.pairs, 8), true);
        QCOMPARE(report.decided, flipped);
        QCOMPARE(report.correct, 0);

        // Active labeling's scores: every image pair of the split, ties included; a pairwise RM
        // whose two orders disagree is less sure (below 0) than any consistent one.
        const auto certainty = pairCertainty(*ws, dir / "ws" / "rm-humans", "train", 8);
        QCOMPARE(certainty.size(), ws->pairs().list({}).size());
        for (const auto& [pair, c] : certainty)
            QVERIFY(c >= -1.0 && c <= 1.0);

        // "both": people's labels where given, the pair's elsewhere (the ties here).
        const label::HumanLabels labels = label::aggregateHumanLabels(*ws, {});
        options.labels = LabelSource::Both;
        options.humanLabels = &labels;
        const PairDataset both = loadPairDataset(*ws, *rm, options);
        QCOMPARE(both.humanLabelled, flipped);
        QCOMPARE(int(both.pairs.size()), int(synthetic.pairs.size()));
        for (const PairExample& p : both.pairs) {
            const auto stored = ws->pairs().get(p.pairId)->preferred;
            if (p.humanLabel)
                QVERIFY(p.preferred != stored);
            else
                QCOMPARE(p.preferred, stored);
        }

        // The pairs' own labels, restricted to the study: the same pairs, none from people.
        RmTrainSpec own = quickSpec("rm-own");
        own.studies = {"all pairs"};
        own.steps = 1;
        const nlohmann::json ownData = startData(*ws, own, &result);
        QCOMPARE(ownData["human_labelled_pairs"].get<int>(), 0);
        QCOMPARE(ownData["train_pairs"].get<int>(), int(synthetic.pairs.size()));
        own.studies = {"no such study"};
        own.out = own.name = "rm-none";
        QVERIFY_THROWS_EXCEPTION(Error, startData(*ws, own, &result));
    }

    void specNamesBadLabelFields() {
        for (const char* text : {R"({"out": "m", "labels": "people"})",
                                 R"({"out": "m", "human_min_honeypot_accuracy": 2})",
                                 R"({"out": "m", "stage": "grounding", "labels": "humans"})"}) {
            try {
                parseRmTrainSpec(nlohmann::json::parse(text), "spec.json");
                QFAIL(text);
            } catch (const Error& e) {
                QVERIFY2(std::string(e.what()).find("spec.json") != std::string::npos, e.what());
            }
        }
        const RmTrainSpec s = parseRmTrainSpec(
            nlohmann::json::parse(R"({"out": "m", "labels": "both", "studies": ["r1", "r2"]})"),
            "spec.json");
        QVERIFY(s.labels == reward::LabelSource::Both);
        QCOMPARE(toJson(s)["studies"].size(), size_t(2));
    }
};

QTEST_APPLESS_MAIN(RmHumanLabelsTest)
#include "test_rm_human_labels.moc"
