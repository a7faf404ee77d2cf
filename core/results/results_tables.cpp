#include "results/results_tables.h"

#include "jobs/job_names.h"
#include "label/gsb_report.h"
#include "store/gsb_repository.h"
#include "store/model_repository.h"
#include "store/run_repository.h"
#include "store/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace rd::results {

namespace {

Cell number(const nlohmann::json& value) {
    if (value.is_number_integer())
        return value.get<std::int64_t>();
    if (value.is_number())
        return value.get<double>();
    return std::monostate{};
}

// One end of a study's score interval; empty while the study has no verdicts.
Cell intervalEnd(const nlohmann::json& report, size_t end) {
    const nlohmann::json& interval = report["score_ci95"];
    return interval.is_array() ? number(interval[end]) : Cell{};
}

Cell metric(store::Workspace& ws, store::RowId run, const std::string& name) {
    const auto points = ws.runs().metrics(run, name);
    return points.empty() ? Cell{} : Cell{points.back().value};
}

// The newest finished run of `kind` per (model, split) from its config.
std::map<std::pair<std::string, std::string>, store::RowId> latestRuns(store::Workspace& ws,
                                                                       const std::string& kind) {
    std::map<std::pair<std::string, std::string>, store::RowId> out;
    for (const store::RunRecord& run : ws.runs().list()) {
        if (run.kind != kind || run.status != store::RunStatus::Done)
            continue;
        const auto config = nlohmann::json::parse(run.configJson, nullptr, false);
        if (!config.is_object() || !config.contains("model") || !config.contains("split"))
            continue;
        auto& slot = out[{config["model"].get<std::string>(), config["split"].get<std::string>()}];
        slot = std::max(slot, run.id);
    }
    return out;
}

std::vector<nlohmann::json> studyReports(store::Workspace& ws) {
    std::vector<nlohmann::json> out;
    for (const auto& study : ws.gsb().listStudies())
        out.push_back(label::gsbReport(ws, study.name));
    return out;
}

} // namespace

const std::vector<std::string>& resultTableNames() {
    static const std::vector<std::string> names = {"rm_accuracy", "gsb",       "annotators",
                                                   "agreement",   "alignment", "label_curve"};
    return names;
}

// The newest finished RM training run per checkpoint folder, by the folder's absolute path (the
// name `rm eval` stores a model under).
std::map<std::string, store::RunRecord> newestTrainingRuns(store::Workspace& ws) {
    std::map<std::string, store::RunRecord> newest;
    for (const store::RunRecord& run : ws.runs().list()) {
        if (run.kind != "rm_train" || run.status != store::RunStatus::Done ||
            run.checkpoint.empty())
            continue;
        const std::string model =
            std::filesystem::absolute(run.checkpoint).lexically_normal().string();
        if (!newest.count(model) || newest[model].id < run.id)
            newest[model] = run;
    }
    return newest;
}

Table rmAccuracyTable(store::Workspace& ws) {
    Table t{{"model", "arch", "params", "id_accuracy", "ood_accuracy", "id_consistency",
             "ood_consistency", "id_calibration_error", "ood_calibration_error", "id_pairs",
             "ood_pairs", "human_labels"},
            {}};
    std::map<std::string, std::map<std::string, store::RowId>> byModel;
    for (const auto& [key, run] : latestRuns(ws, "rm_eval"))
        byModel[key.first][key.second] = run;
    // How many of a model's training labels came from people (runs before human labels existed,
    // or models trained elsewhere, have no figure).
    const auto trainedBy = newestTrainingRuns(ws);
    const auto humanLabels = [&](const std::string& model) {
        const auto run = trainedBy.find(model);
        return run == trainedBy.end()
                   ? Cell{}
                   : metric(ws, run->second.id, jobs::metrics::kDataHumanLabelledPairs);
    };
    for (const auto& [model, splits] : byModel) {
        auto column = [&, &splits = splits](const std::string& split, const std::string& name) {
            const auto run = splits.find(split);
            return run == splits.end()
                       ? Cell{}
                       : metric(ws, run->second, std::string(jobs::metrics::kEval) + name);
        };
        const auto record = ws.models().findByName(model);
        t.rows.push_back({model, record ? Cell{record->arch} : Cell{},
                          record ? Cell{record->paramCount} : Cell{}, column("id", "accuracy"),
                          column("ood", "accuracy"), column("id", "consistency"),
                          column("ood", "consistency"), column("id", "calibration_error"),
                          column("ood", "calibration_error"), column("id", "pairs"),
                          column("ood", "pairs"), humanLabels(model)});
    }
    return t;
}

Table gsbTable(store::Workspace& ws) {
    // selection: "uncertain" studies chose their pairs by an RM, so their score is not unbiased.
    Table t{{"study", "baseline", "candidate", "good", "same", "bad", "score", "ci95_low",
             "ci95_high", "sign_test_p", "selection"},
            {}};
    for (const auto& r : studyReports(ws))
        t.rows.push_back({r["study"].get<std::string>(), r["baseline"].get<std::string>(),
                          r["candidate"].get<std::string>(), number(r["good"]), number(r["same"]),
                          number(r["bad"]), number(r["score"]), intervalEnd(r, 0),
                          intervalEnd(r, 1), number(r["sign_test_p"]),
                          r["selection"].get<std::string>()});
    return t;
}

Table annotatorTable(store::Workspace& ws) {
    // simulated: "yes" for `rdance gsb simulate`'s annotators, whose verdicts the other tables
    // leave out.
    Table t{{"study", "annotator", "good", "same", "bad", "honeypots", "honeypot_accuracy",
             "repeats", "self_consistency", "simulated"},
            {}};
    for (const auto& r : studyReports(ws))
        for (const auto& [name, a] : r["annotators"].items())
            t.rows.push_back({r["study"].get<std::string>(), name, number(a["good"]),
                              number(a["same"]), number(a["bad"]), number(a["honeypots"]),
                              number(a["honeypot_accuracy"]), number(a["repeats"]),
                              number(a["self_consistency"]),
                              std::string(a["simulated"].get<bool>() ? "yes" : "no")});
    return t;
}

Table agreementTable(store::Workspace& ws) {
    Table t{
        {"study", "annotators", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1"},
        {}};
    for (const auto& r : studyReports(ws)) {
        const auto& a = r["agreement"];
        std::int64_t people = 0; // simulated annotators are not in the agreement figures
        for (const auto& [name, annotator] : r["annotators"].items())
            people += annotator["simulated"].get<bool>() ? 0 : 1;
        t.rows.push_back({r["study"].get<std::string>(), people,
                          a.contains("cohen_kappa") ? number(a["cohen_kappa"]) : Cell{},
                          number(a["fleiss_kappa"]), number(a["krippendorff_alpha"]),
                          number(a["gwet_ac1"])});
    }
    return t;
}

// How a run's studies chose their pairs: "uncertain" when any did by an RM, "random" when all
// were random draws, "all pairs" without studies.
std::string selectionOf(store::Workspace& ws, const nlohmann::json& studies) {
    if (!studies.is_array() || studies.empty())
        return "all pairs";
    for (const auto& name : studies) {
        const auto study = ws.gsb().findStudy(name.get<std::string>());
        const auto design = nlohmann::json::parse(study ? study->designJson : "{}", nullptr, false);
        if (design.is_object() && design.value("selection", "random") == "uncertain")
            return "uncertain";
    }
    return "random";
}

Table labelCurveTable(store::Workspace& ws) {
    Table t{{"selection", "model", "human_labels", "id_accuracy", "ood_accuracy"}, {}};
    const auto evals = latestRuns(ws, "rm_eval");
    std::vector<std::vector<Cell>> rows;
    for (const auto& [model, run] : newestTrainingRuns(ws)) {
        const auto config = nlohmann::json::parse(run.configJson, nullptr, false);
        if (!config.is_object() || config.value("labels", "pairs") == "pairs")
            continue;
        auto accuracy = [&, &model = model](const std::string& split) {
            const auto eval = evals.find({model, split});
            return eval == evals.end() ? Cell{}
                                       : metric(ws, eval->second, jobs::metrics::kEvalAccuracy);
        };
        rows.push_back({selectionOf(ws, config.value("studies", nlohmann::json())), model,
                        metric(ws, run.id, jobs::metrics::kDataHumanLabelledPairs), accuracy("id"),
                        accuracy("ood")});
    }
    std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
        const auto* a = std::get_if<double>(&x[2]);
        const auto* b = std::get_if<double>(&y[2]);
        return std::make_pair(std::get<std::string>(x[0]), a ? *a : -1.0) <
               std::make_pair(std::get<std::string>(y[0]), b ? *b : -1.0);
    });
    t.rows = std::move(rows);
    return t;
}

Table alignmentTable(store::Workspace& ws) {
    const auto runs = latestRuns(ws, "gen_eval");
    const std::string prefix = "alignment/";
    const std::set<std::string> trailing = {"overall", "diversity", "images"};
    std::set<std::string> categories;
    for (const auto& [key, run] : runs)
        for (const auto& name : ws.runs().metricNames(run))
            if (name.rfind(prefix, 0) == 0 && !trailing.count(name.substr(prefix.size())))
                categories.insert(name.substr(prefix.size()));
    Table t{{"model", "split"}, {}};
    for (const auto& c : categories)
        t.columns.push_back(c);
    for (const auto& c : {"overall", "diversity", "images"})
        t.columns.push_back(c);
    for (const auto& [key, run] : runs) {
        std::vector<Cell> row = {key.first, key.second};
        for (size_t c = 2; c < t.columns.size(); ++c)
            row.push_back(metric(ws, run, prefix + t.columns[c]));
        t.rows.push_back(std::move(row));
    }
    return t;
}

Table resultTable(store::Workspace& ws, ResultTable which) {
    switch (which) {
    case ResultTable::RmAccuracy:
        return rmAccuracyTable(ws);
    case ResultTable::Gsb:
        return gsbTable(ws);
    case ResultTable::Annotators:
        return annotatorTable(ws);
    case ResultTable::Agreement:
        return agreementTable(ws);
    case ResultTable::LabelCurve:
        return labelCurveTable(ws);
    case ResultTable::Alignment:
        break;
    }
    return alignmentTable(ws);
}

} // namespace rd::results
