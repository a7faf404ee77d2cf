// `rdance gsb report WS [--study NAME]`: GSB results per study (core/label/gsb_report.h).
// `rdance gsb create WS --name N --baseline GEN --candidate GEN`: a study between two generators'
// samples, with honeypots and repeats; `--pairs SPLIT [--select uncertain --model M]`: a study of
// the workspace's pairs for the RM to learn from (core/label/study_builder.h).
// `rdance gsb simulate`: the oracle as a simulated annotator (core/label/simulated_annotator.h).
// `rdance gsb labels`: the human labels an RM would train on (core/label/human_labels.h).
// `rdance results WS --table NAME [--format F]`: the Results view's tables
// (core/results/results_tables.h).
#include "cli_output.h"
#include "commands.h"
#include "eval/table_writer.h"
#include "label/gsb_report.h"
#include "label/human_labels.h"
#include "label/simulated_annotator.h"
#include "label/study_builder.h"
#include "results/results_tables.h"
#include "reward/pair_certainty.h"
#include "store/gsb_repository.h"
#include "store/workspace.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

namespace rd::cli {

namespace {

void addGsbCreateCommand(CLI::App& gsb) {
    struct Options {
        std::string workspace, split, pairs, select = "random", model;
        label::StudyOptions study;
        int batch = 16;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = gsb.add_subcommand(
        "create",
        "A blind GSB study, candidate side random per item, with honeypots and repeats: between "
        "two generators' samples of the same prompts (paired by seed; --baseline, --candidate), "
        "or of the workspace's own pairs of a split for the RM to learn from (--pairs SPLIT; "
        "Good means side B is better), chosen at random or where an RM is least sure "
        "(--select uncertain --model M)");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--name", o->study.name, "Study name")->required();
    auto* baseline =
        cmd->add_option("--baseline", o->study.baselineGenerator, "Baseline generator (e.g. SFT)");
    auto* candidate = cmd->add_option("--candidate", o->study.candidateGenerator,
                                      "Candidate generator (e.g. ReFL)");
    auto* pairs = cmd->add_option("--pairs", o->pairs,
                                  "Label the workspace's pairs of this split instead (pairs "
                                  "someone judged already are left out)");
    pairs->excludes(baseline)->excludes(candidate);
    cmd->add_option("--split", o->split, "Generator studies: prompts of this split only");
    cmd->add_option("--select", o->select,
                    "--pairs: random (default; an unbiased sample) or uncertain (the pairs the "
                    "RM given by --model is least sure of, or whose two orders disagree)")
        ->check(CLI::IsMember({"random", "uncertain"}));
    cmd->add_option("--model", o->model, "--select uncertain: the RM checkpoint folder");
    cmd->add_option("--batch", o->batch, "--select uncertain: pairs scored at once (default 16)")
        ->check(CLI::Range(1, 4096));
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
        if (o->pairs.empty() &&
            (o->study.baselineGenerator.empty() || o->study.candidateGenerator.empty()))
            throw CLI::ValidationError("gsb create",
                                       "give --baseline and --candidate, or --pairs SPLIT");
        if (!o->pairs.empty() && !o->split.empty())
            throw CLI::ValidationError("gsb create", "--pairs names the split; leave --split out");
        if (o->pairs.empty() && (o->select != "random" || !o->model.empty()))
            throw CLI::ValidationError("gsb create", "--select and --model go with --pairs");
        if ((o->select == "uncertain") != !o->model.empty())
            throw CLI::ValidationError("gsb create",
                                       "--select uncertain needs --model, and --model needs it");
        auto ws = store::Workspace::open(o->workspace);
        label::StudyReport r;
        if (o->pairs.empty()) {
            if (!o->split.empty())
                o->study.split = o->split;
            r = label::createGeneratorStudy(*ws, o->study);
        } else {
            label::PairStudyOptions p;
            p.name = o->study.name;
            p.split = o->pairs;
            p.maxItems = o->study.maxItems;
            p.honeypotRate = o->study.honeypotRate;
            p.repeatRate = o->study.repeatRate;
            p.seed = o->study.seed;
            if (o->select == "uncertain") {
                p.selection = label::Selection::Uncertain;
                p.certainty = reward::pairCertainty(*ws, o->model, o->pairs, o->batch);
                p.selectionModel = std::filesystem::absolute(o->model).lexically_normal();
            }
            r = label::createPairStudy(*ws, p);
        }
        printJson({{"event", "gsb_study"},
                   {"study", o->study.name},
                   {"study_id", r.studyId},
                   {"selection", o->select},
                   {"items", r.items},
                   {"honeypots", r.honeypots},
                   {"repeats", r.repeats},
                   {"pairs_created", r.pairsCreated}});
    });
}

void addGsbSimulateCommand(CLI::App& gsb) {
    auto o = std::make_shared<label::SimulatedAnnotatorOptions>();
    auto folder = std::make_shared<std::string>();
    CLI::App* cmd = gsb.add_subcommand(
        "simulate", "For measurements and tests only: the ShapeWorld oracle answers a study "
                    "through the labeling session a person uses, wrong on purpose at --error-rate "
                    "(a random other choice); registered as simulated, so its verdicts never "
                    "count as human unless asked");
    cmd->add_option("WS", *folder, "Workspace folder")->required();
    cmd->add_option("--study", o->study, "Study name")->required();
    cmd->add_option("--annotator", o->annotator, "The simulated annotator's name")->required();
    cmd->add_option("--error-rate", o->errorRate, "Share of wrong verdicts (default 0.1)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--seed", o->seed, "Seed of the errors (default 1)");
    cmd->add_option("--max-items", o->maxItems, "Items to answer now at most (default 0: all)")
        ->check(CLI::NonNegativeNumber);
    cmd->callback([o, folder] {
        auto ws = store::Workspace::open(*folder);
        const label::SimulationReport r = label::simulateAnnotator(*ws, *o);
        printJson({{"event", "gsb_simulated"},
                   {"study", o->study},
                   {"annotator", o->annotator},
                   {"judged", r.judged},
                   {"wrong_on_purpose", r.wrongOnPurpose},
                   {"oracle_same", r.oracleSame},
                   {"remaining", r.remaining}});
    });
}

void addGsbLabelsCommand(CLI::App& gsb) {
    struct Options {
        std::string workspace;
        label::HumanLabelOptions labels;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = gsb.add_subcommand(
        "labels", "The human labels an RM trains on with \"labels\": \"humans\" or \"both\": "
                  "pairs labelled by the plurality of people's verdicts, annotators kept and "
                  "left out by honeypot accuracy, simulated verdicts left out");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--min-honeypot-accuracy", o->labels.minHoneypotAccuracy,
                    "Annotators below it do not count (default 0.8)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_flag("--include-simulated", o->labels.includeSimulated,
                  "Count simulated annotators too (measurements only)");
    cmd->callback([o] {
        auto ws = store::Workspace::openReadOnly(o->workspace);
        printJsonPretty(label::aggregateHumanLabels(*ws, o->labels).summary());
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
    addGsbSimulateCommand(*gsb);
    addGsbLabelsCommand(*gsb);
    struct Options {
        std::string workspace, study;
        label::GsbReportOptions report;
    };
    auto o = std::make_shared<Options>();
    CLI::App* report = gsb->add_subcommand(
        "report", "Per study: G/S/B counts, the score (G-B)/(G+S+B) with its 95% bootstrap "
                  "interval over prompts, the sign test, honeypot accuracy per annotator and the "
                  "agreement between annotators (kappas, Krippendorff's alpha, Gwet's AC1)");
    report->add_option("WS", o->workspace, "Workspace folder")->required();
    report->add_option("--study", o->study, "One study (default: all)");
    report->add_flag("--include-simulated", o->report.includeSimulated,
                     "Count simulated annotators' verdicts in the score and agreement");
    report->callback([o] {
        auto ws = store::Workspace::openReadOnly(o->workspace);
        if (!o->study.empty()) {
            printJsonPretty(label::gsbReport(*ws, o->study, o->report));
            return;
        }
        nlohmann::json all = nlohmann::json::array();
        for (const auto& study : ws->gsb().listStudies())
            all.push_back(label::gsbReport(*ws, study.name, o->report));
        printJsonPretty(all);
    });
}

} // namespace rd::cli
