#include "store/export_views.h"

#include "common/error.h"
#include "store/sqlite_db.h"
#include "store/workspace.h"

namespace rd::store {

namespace {

const char* sqlFor(ExportView view) {
    switch (view) {
    case ExportView::Pairs:
        // Named as `rdance import` reads them, so an export imports back (pair_id is kept for
        // reference and ignored there).
        return "SELECT p.id AS pair_id, pr.text AS prompt, pr.category, p.split, "
               "ma.path AS media_a, mb.path AS media_b, ga.generator AS generator_a, "
               "gb.generator AS generator_b, ga.seed AS seed_a, gb.seed AS seed_b, "
               "ga.step AS step_a, gb.step AS step_b, p.preferred, p.source, p.rationale, "
               "pr.metadata "
               "FROM pairs p JOIN prompts pr ON pr.id = p.prompt_id "
               "JOIN generations ga ON ga.id = p.gen_a JOIN generations gb ON gb.id = p.gen_b "
               "JOIN media ma ON ma.id = ga.media_id JOIN media mb ON mb.id = gb.media_id "
               "ORDER BY p.id";
    case ExportView::RmJudgments:
        return "SELECT j.pair_id, m.name AS model, j.ordering, j.p_yes, j.p_no, j.rationale, "
               "j.latency_ms, p.preferred AS human_preferred, j.created_at "
               "FROM rm_judgments j JOIN models m ON m.id = j.model_id "
               "JOIN pairs p ON p.id = j.pair_id ORDER BY j.pair_id, m.name, j.ordering";
    case ExportView::GsbJudgments:
        return "SELECT s.name AS study, s.baseline_generator, s.candidate_generator, "
               "i.position, i.pair_id, pr.text AS prompt, pr.category, i.candidate_left, i.role, "
               "j.annotator, j.verdict, j.reason, j.spent_ms, j.created_at "
               "FROM gsb_judgments j JOIN gsb_items i ON i.id = j.item_id "
               "JOIN gsb_studies s ON s.id = i.study_id JOIN pairs p ON p.id = i.pair_id "
               "JOIN prompts pr ON pr.id = p.prompt_id ORDER BY s.id, j.id";
    case ExportView::Metrics:
        return "SELECT r.id AS run_id, r.kind, m.step, m.name, m.value "
               "FROM metrics m JOIN runs r ON r.id = m.run_id ORDER BY r.id, m.name, m.step";
    }
    throw Error(ErrorKind::Internal, "unknown export view");
}

} // namespace

ExportView parseExportView(const std::string& name) {
    if (name == "pairs")
        return ExportView::Pairs;
    if (name == "rm")
        return ExportView::RmJudgments;
    if (name == "gsb")
        return ExportView::GsbJudgments;
    if (name == "metrics")
        return ExportView::Metrics;
    throw Error(ErrorKind::InvalidArgument,
                "--what '" + name + "': expected one of pairs, rm, gsb, metrics");
}

Table exportTable(Workspace& workspace, ExportView view) {
    Database& db = workspace.database();
    Statement statement(db, sqlFor(view));
    Table table;
    const int columns = statement.columnCount();
    for (int c = 0; c < columns; ++c)
        table.columns.push_back(statement.columnName(c));
    while (statement.step()) {
        std::vector<Cell> row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c) {
            row.push_back(statement.cell(c));
            // Media inside the workspace are stored relative to it; an export names them in
            // full, so the file still finds them from wherever it is read.
            const std::string& name = table.columns[static_cast<std::size_t>(c)];
            if (view == ExportView::Pairs && (name == "media_a" || name == "media_b"))
                row.back() = workspace.resolveMediaPath(statement.text(c)).string();
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

} // namespace rd::store
