// The ShapeWorld oracle against the ground truth: at least 99% agreement on 1,000 random
// prompts at 64 px (matches and near misses, all categories and splits), per-category too;
// clips judged by their motion; degradation reported (and actually degrading); every shape and
// colour recognised; bad input refused.
#include "common/error.h"
#include "synth/object_detector.h"
#include "synth/oracle.h"
#include "synth/oracle_agreement.h"
#include "synth/prompt_parser.h"
#include "synth/renderer.h"
#include "synth/scene_builder.h"

#include <opencv2/imgproc.hpp>

#include <QtTest>

using namespace rd;
using namespace rd::synth;

namespace {

std::string describe(const AgreementReport& r) {
    std::string text = "agreement " + std::to_string(r.agreement);
    for (const std::string& e : r.examples)
        text += "\n  " + e;
    return text;
}

} // namespace

class TestSynthOracle : public QObject {
    Q_OBJECT

private slots:
    void agreesWithTheSceneOnCleanRenders() {
        AgreementOptions options; // 1,000 prompts at 64 px
        const AgreementReport r = measureOracleAgreement(options);
        QCOMPARE(r.items, 1000);
        QVERIFY2(r.agreement >= 0.99, describe(r).c_str());
        QCOMPARE(r.byCategory.size(), size_t(6));
        for (const auto& [category, c] : r.byCategory) {
            QVERIFY(c.items >= 160);
            QVERIFY2(double(c.agreed) / c.items >= 0.97, category.c_str());
        }
        QVERIFY(r.meanScoreError < 0.01);
    }

    void agreesAtStudioSize() {
        AgreementOptions options;
        options.prompts = 200;
        options.size = 256;
        options.seed = 2;
        const AgreementReport r = measureOracleAgreement(options);
        QVERIFY2(r.agreement >= 0.99, describe(r).c_str());
    }

    void judgesClipsByTheirMotion() {
        AgreementOptions options;
        options.prompts = 90;
        options.mode = MediaMode::Video;
        options.seed = 3;
        const AgreementReport r = measureOracleAgreement(options);
        QVERIFY2(r.agreement >= 0.98, describe(r).c_str());

        const PromptSpec spec = parsePrompt("a red circle moving from left to right");
        Rng rng(4);
        const SceneBuilder builder(Split::Train);
        const Scene good = builder.match(spec, rng);
        RenderOptions look;
        QVERIFY(scoreClip(spec, renderClip(good, look, 12)).judgement.satisfied);
        const Scene backwards = builder.nearMiss(spec, good, NearMiss::WrongDirection, rng);
        const OracleResult b = scoreClip(spec, renderClip(backwards, look, 12));
        QVERIFY(!b.judgement.satisfied);
        QCOMPARE(b.judgement.score, 2.0 / 3.0); // the circle and its colour are right
        const Scene still = builder.nearMiss(spec, good, NearMiss::NoMotion, rng);
        QVERIFY(!scoreClip(spec, renderClip(still, look, 12)).judgement.satisfied);
    }

    void reportsDegradationUnderBlurAndNoise() {
        const auto ladder = oracleRobustness(150, 64, 5);
        QCOMPARE(ladder.size(), size_t(8));
        QCOMPARE(ladder.front().condition, std::string("clean"));
        const double clean = ladder.front().report.agreement;
        double worstBlur = 1.0, worstNoise = 1.0;
        for (const RobustnessPoint& p : ladder) {
            QVERIFY(p.report.agreement >= 0.0 && p.report.agreement <= 1.0);
            QCOMPARE(p.report.items, 150);
            if (p.blurSigma > 0)
                worstBlur = std::min(worstBlur, p.report.agreement);
            if (p.noiseSigma > 0)
                worstNoise = std::min(worstNoise, p.report.agreement);
        }
        QVERIFY(clean >= 0.99);
        // Heavy blur (1.5 px on 5-10 px objects) and noise (sigma 30) must show in the report.
        QVERIFY(worstBlur < clean);
        QVERIFY(worstNoise < clean);
    }

    void recognisesEveryShapeAndColour() {
        for (Shape shape : kShapes)
            for (Color color : kColors) {
                Scene scene;
                scene.backgroundGrey = 130;
                scene.objects.push_back({shape, color, 0.5, 0.5, 0.1, 10.0});
                RenderOptions look;
                const auto found = ObjectDetector().detect(render(scene, look));
                QCOMPARE(found.size(), size_t(1));
                QCOMPARE(found[0].object.shape, shape);
                QCOMPARE(found[0].object.color, color);
                QVERIFY(std::abs(found[0].object.x - 0.5) < 0.02);
                QVERIFY(std::abs(found[0].object.radius - 0.1) < 0.02);
            }
    }

    void scoresAreFractionsOfConstraints() {
        const PromptSpec spec = parsePrompt("a photo of a red circle and a blue square");
        Scene scene;
        scene.objects.push_back({Shape::Circle, Color::Blue, 0.3, 0.5, 0.12, 0.0});
        scene.objects.push_back({Shape::Square, Color::Red, 0.7, 0.5, 0.12, 0.0});
        const OracleResult swapped = scoreImage(spec, render(scene, RenderOptions{}));
        QCOMPARE(swapped.judgement.constraints.size(), size_t(4));
        QCOMPARE(swapped.judgement.score, 0.5); // both shapes there, both colours wrong
        QVERIFY(!swapped.judgement.satisfied);
        const OracleResult empty = scoreImage(spec, render(Scene{}, RenderOptions{}));
        QCOMPARE(empty.judgement.score, 0.0);
        QVERIFY(empty.objects.empty());
    }

    void ignoresABackdropThatIsNotGrey() {
        cv::Mat rgb(64, 64, CV_8UC3, cv::Scalar(200, 60, 60)); // a reddish backdrop
        cv::circle(rgb, cv::Point(32, 32), 8, cv::Scalar(40, 90, 230), cv::FILLED, cv::LINE_AA);
        const auto found = ObjectDetector().detect(rgb);
        QCOMPARE(found.size(), size_t(1));
        QCOMPARE(found[0].object.color, Color::Blue);
        QCOMPARE(found[0].object.shape, Shape::Circle);
    }

    void refusesBadImages() {
        QVERIFY_THROWS_EXCEPTION(Error, ObjectDetector().detect(cv::Mat()));
        QVERIFY_THROWS_EXCEPTION(Error, ObjectDetector().detect(cv::Mat(8, 8, CV_8UC1)));
        QVERIFY_THROWS_EXCEPTION(Error, scoreClip(parsePrompt("a star"), {}));
    }
};

QTEST_APPLESS_MAIN(TestSynthOracle)
#include "test_synth_oracle.moc"
