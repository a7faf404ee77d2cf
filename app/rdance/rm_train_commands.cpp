// `rdance rm train|eval|judge`: reward-model jobs on a workspace (core/reward's trainer,
// evaluation and judging). Progress goes to stdout as JSON lines, results as one JSON object.
#include "cancel_signal.h"
#include "cli_output.h"
#include "commands.h"
#include "compute/compute_context.h"
#include "reward/rm_judge.h"
#include "reward/rm_sweep.h"
#include "reward/rm_trainer.h"
#include "reward/train_spec.h"
#include "store/workspace.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace rd::cli {
namespace fs = std::filesystem;

namespace {

void addTrain(CLI::App& rm) {
    struct Options {
        std::string workspace, config;
        bool resume = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = rm.add_subcommand(
        "train", "Train a reward model (or the grounding stage) on the workspace's pairs from a "
                 "JSON job spec (fields: docs/RM_TRAINING.md)");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--config", o->config, "Job spec (JSON)")->required();
    cmd->add_flag("--resume", o->resume, "Continue the unfinished run in the spec's out folder");
    cmd->footer(specFieldsFooter("rm-train", "docs/RM_TRAINING.md"));
    cmd->callback([o] {
        const reward::RmTrainSpec spec = reward::readRmTrainSpec(o->config);
        auto ws = store::Workspace::open(o->workspace);
        reward::TrainControl control;
        control.cancelled = cancelRequested;
        installCancelHandler();
        control.resume = o->resume;
        // The result goes out as the run's last event ("done", or "paused" for a cancel).
        reward::trainRewardModel(*ws, spec, &std::cout, control);
    });
}

void addEval(CLI::App& rm) {
    struct Options {
        std::string workspace, model, split = "id", answerOrder;
        int batch = 16, threads = 0;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = rm.add_subcommand(
        "eval", "Accuracy, both-order consistency, calibration and GSB agreement of a reward "
                "model on a split's pairs; stored as a run and as eval-SPLIT.json");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--model", o->model, "Reward model checkpoint folder")->required();
    cmd->add_option("--split", o->split, "train, id or ood (default id)");
    cmd->add_option("--batch", o->batch, "Pairs per forward (default 16)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--threads", o->threads, "Threads (default: one per free core)");
    cmd->add_option("--answer-order", o->answerOrder,
                    "decision_first or reasoning_first: score a pairwise RM trained on both CoT "
                    "formats this way (default: its reward.json's); written to "
                    "eval-SPLIT-ORDER.json")
        ->check(CLI::IsMember({"decision_first", "reasoning_first"}));
    cmd->callback([o] {
        compute::ComputeContext ctx;
        ctx.threads = o->threads;
        compute::configureThreads(ctx);
        auto ws = store::Workspace::open(o->workspace);
        printJsonPretty(reward::evaluateOnSplit(*ws, o->model, o->split, o->batch, o->answerOrder));
    });
}

void addJudge(CLI::App& rm) {
    struct Options {
        std::string workspace, model, pairs;
        reward::JudgeOptions judge;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = rm.add_subcommand(
        "judge", "Write the reward model's judgments (P(yes) in both orders, rationale with "
                 "--cot) of the selected pairs to the workspace, for the studio's inspector");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--model", o->model, "Reward model checkpoint folder")->required();
    cmd->add_option("--pairs", o->pairs,
                    "Which pairs: split=S,category=C,limit=N (default: all image pairs)");
    cmd->add_flag("--cot", o->judge.chainOfThought, "Generate the greedy rationale too");
    cmd->add_option("--max-new-tokens", o->judge.maxNewTokens,
                    "Rationale length limit (default 160)")
        ->check(CLI::PositiveNumber);
    cmd->callback([o] {
        compute::configureThreads(compute::defaultContext());
        o->judge.pairs = reward::parsePairQuery(o->pairs);
        auto ws = store::Workspace::open(o->workspace);
        printJsonPretty(reward::judgePairs(*ws, o->model, o->judge));
    });
}

void addSweep(CLI::App& rm) {
    struct Options {
        std::string workspace;
        reward::SweepOptions sweep;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = rm.add_subcommand(
        "sweep", "Train the preset ladder (grounding on the scene stream, a pointwise RM with "
                 "checklists, then the pairwise RM from it) and the paradigm and context ablations "
                 "on ShapeWorld; "
                 "print and store the Table 2/7/9-style tables");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--preset", o->sweep.presets, "Presets (default rd-xs rd-s rd-m rd-l)");
    cmd->add_option("--grounding-minutes", o->sweep.groundingMinutes,
                    "Grounding budget per preset (default 20), on the scene stream: questions "
                    "answered in words, relations as a chain of places");
    cmd->add_option("--reward-minutes", o->sweep.rewardMinutes, "Budget per RM run (default 20)");
    cmd->add_option("--steps", o->sweep.steps,
                    "A fixed step count per run instead of the time budgets");
    cmd->add_flag("!--no-ablations", o->sweep.ablations, "Only the preset ladder");
    cmd->add_option("--batch", o->sweep.batch, "Pairs per step (default 16)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--grounding-batch", o->sweep.groundingBatch,
                    "Scenes per grounding step (default 64)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--lr", o->sweep.lr, "Peak learning rate (default 3e-4)");
    cmd->add_option("--seed", o->sweep.seed, "Seed (default 1)");
    cmd->add_option("--out", o->sweep.out, "Folder for the checkpoints and tables, in WS");
    cmd->add_option("--threads", o->sweep.threads, "Threads (default: one per free core)");
    cmd->callback([o] {
        auto ws = store::Workspace::open(o->workspace);
        const nlohmann::json result = reward::runSweep(*ws, o->sweep, &std::cout);
        printJson({{"event", "sweep_done"},
                   {"run_id", result["run_id"]},
                   {"minutes", result["minutes"]},
                   {"tables", (fs::path(o->workspace) / o->sweep.out / "tables.md").string()}});
        std::cerr << result["tables_markdown"].get<std::string>();
    });
}

} // namespace

void addRmJobCommands(CLI::App& rm) {
    addTrain(rm);
    addEval(rm);
    addJudge(rm);
    addSweep(rm);
}

} // namespace rd::cli
