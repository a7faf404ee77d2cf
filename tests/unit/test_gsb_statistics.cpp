// GSB statistics and annotator agreement against values worked out by hand.
#include "eval/agreement.h"
#include "eval/gsb_statistics.h"

#include <QtTest>

#include <cmath>

using namespace rd::eval;

namespace {

bool near(double a, double b, double tolerance = 1e-6) {
    return std::abs(a - b) < tolerance;
}

// Two raters on four items, categories G = 0, S = 1, B = 2:
//   item 1: G G   item 2: G B   item 3: B B   item 4: S S
RatingTable twoRaters() {
    return {{"1", {{"ana", 0}, {"ben", 0}}},
            {"2", {{"ana", 0}, {"ben", 2}}},
            {"3", {{"ana", 2}, {"ben", 2}}},
            {"4", {{"ana", 1}, {"ben", 1}}},
            {"5", {{"ana", 1}}}}; // rated once: does not count
}

} // namespace

class GsbStatisticsTest : public QObject {
    Q_OBJECT

private slots:
    void scoreAndSignTest() {
        std::vector<GsbVerdict> v;
        for (int i = 0; i < 5; ++i)
            v.push_back({"p" + std::to_string(i), Gsb::Good});
        for (int i = 0; i < 3; ++i)
            v.push_back({"q" + std::to_string(i), Gsb::Same});
        for (int i = 0; i < 2; ++i)
            v.push_back({"r" + std::to_string(i), Gsb::Bad});
        const GsbSummary s = summarizeGsb(v);
        QCOMPARE(s.good, 5);
        QCOMPARE(s.same, 3);
        QCOMPARE(s.bad, 2);
        QVERIFY(near(s.score, 0.3));
        // n = 7 non-ties, k = 5: p = 2 x P(X >= 5) = 2 x (21 + 7 + 1) / 128.
        QVERIFY(near(s.signTestP, 58.0 / 128.0));
        QVERIFY(s.ciLow < s.score && s.score < s.ciHigh);
        QVERIFY(s.ciLow >= -1.0 && s.ciHigh <= 1.0);
        QVERIFY(near(signTestPValue(5, 10), 1.0));
    }

    void bootstrapResamplesPromptsTogether() {
        // Every prompt has one Good and one Bad: any resample of prompts scores exactly 0.
        std::vector<GsbVerdict> v;
        for (int i = 0; i < 20; ++i) {
            v.push_back({"p" + std::to_string(i), Gsb::Good});
            v.push_back({"p" + std::to_string(i), Gsb::Bad});
        }
        const GsbSummary s = summarizeGsb(v);
        QVERIFY(near(s.ciLow, 0.0) && near(s.ciHigh, 0.0));
    }

    void agreementByHand() {
        const RatingTable r = twoRaters();
        // po = 3/4; pe = .5 x .25 + .25 x .5 + .25 x .25 = .3125.
        QVERIFY(near(cohensKappa(r, "ana", "ben", 3).value(), (0.75 - 0.3125) / 0.6875));
        // P = .75; pooled shares 3/8, 2/8, 3/8 -> Pe = 22/64.
        QVERIFY(near(fleissKappa(r, 3).value(), (0.75 - 22.0 / 64) / (1 - 22.0 / 64)));
        // Coincidences: n = 8, D_o = 2/8, D_e = 42/56 -> alpha = 2/3.
        QVERIFY(near(krippendorffAlphaNominal(r, 3).value(), 2.0 / 3.0));
        // pi = (.375, .25, .375): Pe = (2 x .375 x .625 + .25 x .75) / 2 = .328125.
        QVERIFY(near(gwetAc1(r, 3).value(), (0.75 - 0.328125) / (1 - 0.328125)));
        QVERIFY(!cohensKappa(r, "ana", "cleo", 3).has_value());
        QVERIFY(!fleissKappa({{"1", {{"ana", 0}}}}, 3).has_value());
    }

    void ac1StaysHighWhenSameDominates() {
        // 19 items both say Same, one item they split: kappa collapses, AC1 does not.
        RatingTable r;
        for (int i = 0; i < 19; ++i)
            r[std::to_string(i)] = {{"ana", 1}, {"ben", 1}};
        r["x"] = {{"ana", 1}, {"ben", 0}};
        QVERIFY(fleissKappa(r, 3).value() < 0.1);
        QVERIFY(gwetAc1(r, 3).value() > 0.9);
    }
};

QTEST_APPLESS_MAIN(GsbStatisticsTest)
#include "test_gsb_statistics.moc"
