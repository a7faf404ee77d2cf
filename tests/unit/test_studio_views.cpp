// The studio's Inspect view: its filters (category, split, P band, disagreement with the label or
// the humans, both-order inconsistency) select exactly the pairs a direct reading of the
// workspace says they should, sorting follows the RM score, rows arrive lazily in pages, and the
// detail pane shows both P("yes"), the rationale and the human verdicts.
#include "fixtures.h"
#include "inspect_fixture.h"
#include "store/inspect_query.h"
#include "store/workspace.h"
#include "ui/inspect_model.h"
#include "ui/inspect_view.h"

#include <QtTest>

#include <set>

using namespace rd;

namespace {

// The pairs a filter should keep, computed from the fixture's own numbers, not through SQL.
std::set<store::RowId> expectedMatches(const test::InspectFixture& fx,
                                       const std::function<bool(const test::FixturePair&)>& keep) {
    std::set<store::RowId> out;
    for (const auto& p : fx.pairs)
        if (keep(p))
            out.insert(p.id);
    return out;
}

std::set<store::RowId> matched(store::Workspace& ws, const store::InspectFilter& f) {
    store::InspectQuery query(ws.database());
    const auto ids = query.matchingPairs(f, {});
    return {ids.begin(), ids.end()};
}

} // namespace

class StudioViewsTest : public QObject {
    Q_OBJECT

private slots:
    void inspectFiltersSelectExactlyTheRightPairs() {
        test::ScratchDir dir;
        const test::InspectFixture fx = test::inspectFixture(dir / "ws");
        store::Workspace& ws = *fx.ws;
        QVERIFY(fx.pairs.size() >= 20);

        store::InspectFilter f;
        f.modelId = fx.modelId;
        QCOMPARE(matched(ws, f).size(), fx.pairs.size());

        f.category = fx.pairs.front().category;
        QCOMPARE(matched(ws, f), expectedMatches(fx, [&](const auto& p) {
                     return p.category == fx.pairs.front().category;
                 }));
        f.category.reset();

        f.judgedOnly = true;
        QCOMPARE(matched(ws, f),
                 expectedMatches(fx, [](const auto& p) { return p.pAB.has_value(); }));
        f.judgedOnly = false;

        f.inconsistentOnly = true;
        const auto inconsistent = matched(ws, f);
        QVERIFY(!inconsistent.empty());
        QCOMPARE(inconsistent, expectedMatches(fx, [](const auto& p) {
                     return p.pAB && (*p.pAB > 0.5) == (*p.pBA > 0.5);
                 }));
        f.inconsistentOnly = false;

        f.rmScoreMin = 0.6;
        f.rmScoreMax = 0.9;
        QCOMPARE(matched(ws, f), expectedMatches(fx, [](const auto& p) {
                     return p.pAB && p.score() >= 0.6 - 1e-9 && p.score() <= 0.9 + 1e-9;
                 }));
        f.rmScoreMin = 0.0;
        f.rmScoreMax = 1.0;

        f.disagreement = store::Disagreement::WithLabel;
        const auto withLabel = matched(ws, f);
        QVERIFY(!withLabel.empty());
        QCOMPARE(withLabel, expectedMatches(fx, [](const auto& p) {
                     return p.pAB && p.label != 0 && p.score() != 0.5 &&
                            (p.score() > 0.5) != (p.label > 0);
                 }));

        f.disagreement = store::Disagreement::WithHumans;
        const auto withHumans = matched(ws, f);
        QVERIFY(!withHumans.empty());
        QCOMPARE(withHumans, expectedMatches(fx, [](const auto& p) {
                     return p.pAB && p.humanLean != 0 && p.score() != 0.5 &&
                            (p.score() > 0.5) != (p.humanLean > 0);
                 }));
    }

    void inspectSortsByScoreAndFetchesLazily() {
        test::ScratchDir dir;
        const test::InspectFixture fx = test::inspectFixture(dir / "ws");
        store::InspectQuery query(fx.ws->database());
        store::InspectFilter f;
        f.modelId = fx.modelId;
        f.judgedOnly = true;
        const auto ids = query.matchingPairs(f, {store::InspectColumn::RmScore, false});
        const auto rows = query.rows(ids, fx.modelId);
        QCOMPARE(rows.size(), ids.size());
        for (size_t i = 1; i < rows.size(); ++i)
            QVERIFY(*rows[i - 1].rmScore() >= *rows[i].rmScore());

        ui::InspectModel model(fx.ws->database());
        model.setFilter(f);
        QCOMPARE(model.rowCount(), 0); // nothing is read until the view asks
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(model.rowCount(),
                 std::min<int>(ui::InspectModel::kPageSize, static_cast<int>(ids.size())));
        QCOMPARE(model.matchCount(), static_cast<int>(ids.size()));
    }

    void inspectViewShowsDetails() {
        test::ScratchDir dir;
        const test::InspectFixture fx = test::inspectFixture(dir / "ws");
        ui::InspectView view(*fx.ws);
        store::InspectFilter f;
        f.modelId = fx.modelId;
        f.disagreement = store::Disagreement::WithHumans;
        view.setFilter(f);
        while (view.model()->canFetchMore({}))
            view.model()->fetchMore({});
        QVERIFY(view.model()->rowCount() > 0);
        view.showDetail(0);
        const store::InspectRow* row = view.model()->rowAt(0);
        const QString text = view.detailText();
        QVERIFY2(text.contains(QString::number(*row->pYesAB, 'f', 3)), qPrintable(text));
        QVERIFY(text.contains(QString::fromStdString(row->rationaleAB)));
        QVERIFY(text.contains(test::kInspectAnnotator));
    }
};

QTEST_MAIN(StudioViewsTest)
#include "test_studio_views.moc"
