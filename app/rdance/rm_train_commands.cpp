// `rdance rm train|eval|judge`: reward-model jobs on a workspace (core/reward's trainer,
// evaluation and judging). Progress goes to stdout as JSON lines, results as one JSON object.
#include "cli_output.h"
#include "commands.h"
#include "compute/compute_context.h"
#include "reward/rm_judge.h"
#include "reward/rm_trainer.h"
#include "reward/train_spec.h"
#include "store/workspace.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace rd::cli {

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
    cmd->callback([o] {
        const reward::RmTrainSpec spec = reward::readRmTrainSpec(o->config);
        auto ws = store::Workspace::open(o->workspace);
        reward::TrainControl control;
        control.resume = o->resume;
        const reward::RmTrainResult r = reward::trainRewardModel(*ws, spec, &std::cout, control);
        (void)r; // the "done" or "paused" event carries the result
    });
}

void addEval(CLI::App& rm) {
    struct Options {
        std::string workspace, model, split = "id";
        int batch = 16, threads = 0;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = rm.add_subcommand(
        "eval", "Accuracy, both-order consistency, calibration and GSB agreement of a reward "
                "model on a split's pairs; stored as a run and as eval-SPLIT.json");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--model", o->model, "Reward model checkpoint folder")->required();
    cmd->add_option("--split", o->split, "train, id or ood (default id)");
    cmd->add_option("--batch", o->batch, "Pairs per forward (default 16)");
    cmd->add_option("--threads", o->threads, "Threads (default: one per core)");
    cmd->callback([o] {
        compute::ComputeContext ctx;
        ctx.threads = o->threads;
        compute::configureThreads(ctx);
        auto ws = store::Workspace::open(o->workspace);
        printJsonPretty(reward::evaluateOnSplit(*ws, o->model, o->split, o->batch));
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
    cmd->add_option("--max-new-tokens", o->judge.maxNewTokens, "Rationale length limit");
    cmd->callback([o] {
        compute::configureThreads(compute::defaultContext());
        o->judge.pairs = reward::parsePairQuery(o->pairs);
        auto ws = store::Workspace::open(o->workspace);
        printJsonPretty(reward::judgePairs(*ws, o->model, o->judge));
    });
}

} // namespace

void addRmJobCommands(CLI::App& rm) {
    addTrain(rm);
    addEval(rm);
    addJudge(rm);
}

} // namespace rd::cli
