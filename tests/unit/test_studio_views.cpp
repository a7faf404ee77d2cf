// The studio's Inspect view: its filters (category, split, P band, disagreement with the label or
// the humans, both-order inconsistency) select exactly the pairs a direct reading of the
// workspace says they should, sorting follows the RM score, rows arrive lazily in pages, and the
// detail pane shows both P("yes"), the rationale and the human verdicts. The Results view reads
// the stored evaluations and GSB verdicts into its tables and exports tables and charts in every
// format, each of which parses back.
#include "common/error.h"
#include "fixtures.h"
#include "inspect_fixture.h"
#include "store/gsb_repository.h"
#include "store/inspect_query.h"
#include "store/pair_repository.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "study_workspace.h"
#include "ui/demo_workspace.h"
#include "ui/inspect_model.h"
#include "ui/inspect_view.h"
#include "ui/results_view.h"
#include "ui/runs_view.h"
#include "ui/studio_window.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QImage>
#include <QXmlStreamReader>
#include <QtTest>
#include <qcustomplot.h>

#include <fstream>
#include <sstream>

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

// A finished evaluation run with its metrics at step 0, as `rdance rm eval` / `gen eval` store it.
void storeEvalRun(store::Workspace& ws, const std::string& kind, const std::string& model,
                  const std::string& split, const std::map<std::string, double>& metrics) {
    const store::RowId run =
        ws.runs().create(kind, nlohmann::json({{"model", model}, {"split", split}}).dump());
    std::vector<store::MetricPoint> points;
    for (const auto& [name, value] : metrics)
        points.push_back({run, 0, name, value});
    ws.runs().addMetrics(points);
    ws.runs().setStatus(run, store::RunStatus::Done);
}

std::string readFile(const QString& file) {
    std::ifstream in(file.toStdString(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

double numberIn(const Cell& cell) {
    if (const auto* d = std::get_if<double>(&cell))
        return *d;
    return static_cast<double>(std::get<std::int64_t>(cell));
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
        // The RM's answer is P(yes) > P(no) where P(no) is stored, as `rm eval` decides.
        const auto answersYes = [](double yes, std::optional<double> no) {
            return no ? yes > *no : yes > 0.5;
        };
        QCOMPARE(inconsistent, expectedMatches(fx, [&](const auto& p) {
                     return p.pAB && answersYes(*p.pAB, p.pNoAB) == answersYes(*p.pBA, p.pNoBA);
                 }));
        // Some of them answer yes with P(yes) < 0.5, which a P(yes) > 0.5 reading would miss.
        QVERIFY(expectedMatches(fx, [](const auto& p) {
                    return p.pAB && (*p.pAB > 0.5) == (*p.pBA > 0.5);
                }) != inconsistent);
        // The rows the view colours agree with the filter.
        std::vector<store::RowId> all;
        for (const auto& p : fx.pairs)
            all.push_back(p.id);
        store::InspectQuery query(ws.database());
        for (const store::InspectRow& row : query.rows(all, fx.modelId))
            QCOMPARE(row.inconsistent(), inconsistent.count(row.pairId) == 1);
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
        // The pair's own rationale (the training chain) stands beside the RM's.
        const std::string own = fx.ws->pairs().get(row->pairId)->rationale;
        QVERIFY(!own.empty() && own != row->rationaleAB);
        QVERIFY2(text.contains("The pair's own rationale (a as image 1): " +
                               QString::fromStdString(own)),
                 qPrintable(text));
    }

    // Empty views say what to do; the hint goes once there is something to show.
    // The window's icon is resources/icons/rdance-studio.svg, compiled in as a Qt resource.
    void studioWindowShowsItsIcon() {
        QVERIFY(QFile::exists(":/icons/rdance-studio.svg"));
        ui::StudioWindow window;
        QVERIFY(!window.windowIcon().pixmap(32, 32).isNull());
    }

    void emptyViewsSayWhatToDo() {
        test::ScratchDir dir;
        auto ws = store::Workspace::create(dir / "empty");
        ui::RunsView runs(*ws);
        QVERIFY2(runs.emptyHintText().contains("rdance rm train"),
                 qPrintable(runs.emptyHintText()));
        ui::InspectView inspect(*ws);
        QVERIFY(inspect.emptyHintText().contains("rdance rm judge"));
        ws->runs().create("rm_train", "{}");
        runs.refresh();
        QCOMPARE(runs.emptyHintText(), QString());

        const test::InspectFixture fx = test::inspectFixture(dir / "judged");
        ui::InspectView judged(*fx.ws);
        QCOMPARE(judged.emptyHintText(), QString());
    }

    void resultsTablesReadTheWorkspace() {
        test::ScratchDir dir;
        const test::InspectFixture fx = test::inspectFixture(dir / "ws");
        store::Workspace& ws = *fx.ws;
        storeEvalRun(ws, "rm_eval", "/models/rm-a", "id", {{"eval/accuracy", 0.5}});
        storeEvalRun(ws, "rm_eval", "/models/rm-a", "id", {{"eval/accuracy", 0.75}}); // newer
        storeEvalRun(ws, "rm_eval", "/models/rm-a", "ood", {{"eval/accuracy", 0.625}});
        storeEvalRun(ws, "gen_eval", "/models/gen-s", "id",
                     {{"alignment/colors", 0.5}, {"alignment/overall", 0.4}});

        ui::ResultsView view(ws);
        view.showTable(results::ResultTable::RmAccuracy);
        const Table& rm = view.table();
        QCOMPARE(rm.rows.size(), size_t(1));
        QCOMPARE(numberIn(rm.rows[0][3]), 0.75); // id_accuracy: the newest run
        QCOMPARE(numberIn(rm.rows[0][4]), 0.625);

        view.showTable(results::ResultTable::Gsb);
        const Table& gsb = view.table();
        QCOMPARE(gsb.rows.size(), size_t(1));
        int good = 0, same = 0, bad = 0;
        for (const auto& j : ws.gsb().judgments(ws.gsb().findStudy(test::kStudyName)->id))
            ++(j.verdict == store::Verdict::Good  ? good
               : j.verdict == store::Verdict::Bad ? bad
                                                  : same);
        QCOMPARE(numberIn(gsb.rows[0][3]), double(good));
        QCOMPARE(numberIn(gsb.rows[0][4]), double(same));
        QCOMPARE(numberIn(gsb.rows[0][5]), double(bad));
        const double score = numberIn(gsb.rows[0][6]);
        QCOMPARE(score, double(good - bad) / (good + same + bad));
        QVERIFY(numberIn(gsb.rows[0][7]) <= score && score <= numberIn(gsb.rows[0][8]));
        // A study nobody has judged yet: its score, interval and p-value cells are empty.
        ws.gsb().createStudy({0, "unjudged", "sft", "refl", "{}", ""});
        view.showTable(results::ResultTable::Gsb);
        QCOMPARE(view.table().rows.size(), size_t(2));
        int unjudgedRows = 0;
        for (const auto& row : view.table().rows)
            if (std::get<std::string>(row[0]) == "unjudged") {
                ++unjudgedRows;
                for (size_t column = 6; column <= 9; ++column)
                    QVERIFY(std::holds_alternative<std::monostate>(row[column]));
            }
        QCOMPARE(unjudgedRows, 1);

        view.showTable(results::ResultTable::Alignment);
        const Table& alignment = view.table();
        QCOMPARE(alignment.rows.size(), size_t(1));
        QCOMPARE(alignment.columns[2], std::string("colors"));
        QCOMPARE(numberIn(alignment.rows[0][2]), 0.5);
        QCOMPARE(view.plot()->plottableCount(), 1);
    }

    void resultsExportEveryFormat() {
        test::ScratchDir dir;
        const test::InspectFixture fx = test::inspectFixture(dir / "ws");
        ui::ResultsView view(*fx.ws);
        view.resize(900, 600);
        view.showTable(results::ResultTable::Annotators);
        const Table& table = view.table();
        QCOMPARE(table.rows.size(), size_t(1)); // one annotator
        const QString base = QString::fromStdString((dir / "annotators").string());

        view.exportTable(base + ".csv");
        const std::string csv = readFile(base + ".csv");
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), std::ptrdiff_t(table.rows.size() + 1));
        QVERIFY(csv.rfind("study,annotator,good", 0) == 0);
        view.exportTable(base + ".json");
        const auto json = nlohmann::json::parse(readFile(base + ".json"));
        QCOMPARE(json.size(), table.rows.size());
        view.exportTable(base + ".md");
        QVERIFY(readFile(base + ".md").find("| study | annotator |") != std::string::npos);
        view.exportTable(base + ".tex");
        QVERIFY(readFile(base + ".tex").find("\\begin{tabular}") != std::string::npos);

        view.exportPlot(base + ".png");
        QVERIFY(!QImage(base + ".png").isNull());
        view.exportPlot(base + ".pdf");
        QVERIFY(readFile(base + ".pdf").rfind("%PDF", 0) == 0);
        view.exportPlot(base + ".svg");
        QXmlStreamReader svg(QByteArray::fromStdString(readFile(base + ".svg")));
        bool sawSvg = false;
        while (!svg.atEnd())
            if (svg.readNext() == QXmlStreamReader::StartElement && svg.name() == u"svg")
                sawSvg = true;
        QVERIFY2(!svg.hasError(), qPrintable(svg.errorString()));
        QVERIFY(sawSvg);
        QVERIFY_THROWS_EXCEPTION(Error, view.exportPlot(base + ".gif"));
    }

    // The studio builds the demo workspace on a worker thread; building over an existing
    // workspace fails with the reason and leaves it as it was.
    void studioBuildsTheDemoWorkspace() {
        test::ScratchDir dir;
        QString error;
        QVERIFY2(ui::buildDemoWorkspace(nullptr, dir / "demo", &error), qPrintable(error));
        auto ws = store::Workspace::open(dir / "demo");
        QVERIFY(ws->gsb().findStudy("demo: sloppy vs clean"));
        const auto pairs = ws->counts().at("pairs");
        QVERIFY(pairs > 1000);
        ws.reset();
        QVERIFY(!ui::buildDemoWorkspace(nullptr, dir / "demo", &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(store::Workspace::open(dir / "demo")->counts().at("pairs"), pairs);
    }
};

QTEST_MAIN(StudioViewsTest)
#include "test_studio_views.moc"
