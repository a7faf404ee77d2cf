// `rdance gsb report WS [--study NAME]`: GSB results per study (core/label/gsb_report.h).
// `rdance gsb create WS --name N --baseline GEN --candidate GEN`: a study between two generators'
// samples, with honeypots and repeats (core/label/study_builder.h).
// `rdance results WS --table NAME [--format F]`: the Results view's tables
// (core/results/results_tables.h).
#include "cli_output.h"
#include "commands.h"
#include "eval/table_writer.h"
#include "label/gsb_report.h"
#include "label/study_builder.h"
#include "results/results_tables.h"
#include "store/gsb_repository.h"
#include "store/workspace.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

namespace rd::cli {

namespace {

void addGsbCreateCommand(CLI::App& gsb) {
    struct Options {
        std::string workspace, split;
        label::StudyOptions study;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = gsb.add_subcommand(
        "create", "A blind GSB study between two generators' samples of the same prompts (paired "
                  "by seed), candidate side random per item, with honeypots and repeats");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--name", o->study.name, "Study name")->required();
    cmd->add_option("--baseline", o->study.baselineGenerator, "Baseline generator (e.g. SFT)")
        ->required();
    cmd->add_option("--candidate", o->study.candidateGenerator, "Candidate generator (e.g. ReFL)")
        ->required();
    cmd->add_option("--split", o->split, "Prompts of this split only");
    cmd->add_option("--max-items", o->study.maxItems, "Normal items at most (default 200; 0: all)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--honeypot-rate", o->study.honeypotRate,
                    "Honeypots per normal item (default 0.05)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--repeat-rate", o->study.repeatRate,
                    "Repeated items per normal item, sides swapped (default 0.05)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--seed", o->study.seed, "Seed of the order and sides (default 1)");
    cmd->callback([o] {
        auto ws = store::Workspace::open(o->workspace);
        if (!o->split.empty())
            o->study.split = o->split;
        const label::StudyReport r = label::createGeneratorStudy(*ws, o->study);
        printJson({{"event", "gsb_study"},
                   {"study", o->study.name},
                   {"study_id", r.studyId},
                   {"items", r.items},
                   {"honeypots", r.honeypots},
                   {"repeats", r.repeats},
                   {"pairs_created", r.pairsCreated}});
    });
}

} // namespace

void addResultsCommand(CLI::App& app) {
    struct Options {
        std::string workspace, table, format = "md";
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "results", "The workspace's result tables: rm_accuracy (ID/OOD per model), gsb, "
                   "annotators, agreement, alignment (per category per generator)");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--table", o->table, "The table")
        ->required()
        ->check(CLI::IsMember(results::resultTableNames()));
    cmd->add_option("--format", o->format, "csv, md, tex, json or jsonl (default md)");
    cmd->callback([o] {
        auto ws = store::Workspace::openReadOnly(o->workspace);
        const auto& names = results::resultTableNames();
        const auto which = static_cast<results::ResultTable>(
            std::find(names.begin(), names.end(), o->table) - names.begin());
        eval::writeTable(results::resultTable(*ws, which), eval::parseTableFormat(o->format),
                         std::cout);
    });
}

void addGsbCommands(CLI::App& app) {
    CLI::App* gsb = app.add_subcommand("gsb", "GSB studies: create them, results and agreement");
    gsb->require_subcommand(1);
    addGsbCreateCommand(*gsb);
    struct Options {
        std::string workspace, study;
    };
    auto o = std::make_shared<Options>();
    CLI::App* report = gsb->add_subcommand(
        "report", "Per study: G/S/B counts, the score (G-B)/(G+S+B) with its 95% bootstrap "
                  "interval over prompts, the sign test, honeypot accuracy per annotator and the "
                  "agreement between annotators (kappas, Krippendorff's alpha, Gwet's AC1)");
    report->add_option("WS", o->workspace, "Workspace folder")->required();
    report->add_option("--study", o->study, "One study (default: all)");
    report->callback([o] {
        auto ws = store::Workspace::openReadOnly(o->workspace);
        if (!o->study.empty()) {
            printJsonPretty(label::gsbReport(*ws, o->study));
            return;
        }
        nlohmann::json all = nlohmann::json::array();
        for (const auto& study : ws->gsb().listStudies())
            all.push_back(label::gsbReport(*ws, study.name));
        printJsonPretty(all);
    });
}

} // namespace rd::cli
