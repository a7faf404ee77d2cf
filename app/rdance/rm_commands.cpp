#include "cli_output.h"
#include "commands.h"
#include "common/error.h"
#include "compute/compute_context.h"
#include "media/image_io.h"
#include "model/model_checkpoint.h"
#include "model/model_config.h"
#include "reward/reward_model.h"
#include "reward/scorer.h"

#include <CLI/CLI.hpp>

#include <memory>

namespace rd::cli {

namespace {

nlohmann::json countsJson(const model::VlmConfig& config) {
    const model::ParameterCount n = model::countParameters(config);
    return {{"name", config.name},
            {"vision", n.vision},
            {"projector", n.projector},
            {"language", n.language},
            {"total", n.total()},
            {"total_billions", n.total() / 1e9},
            {"tokens_per_image_tile", config.tokensPerTile()},
            {"image_size", config.vision.imageSize}};
}

void addInfo(CLI::App& rm) {
    struct Options {
        std::string preset, model;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = rm.add_subcommand("info", "Parameter counts of a preset or a checkpoint "
                                              "(counted from the shapes; nothing is allocated)");
    cmd->add_option("--preset", o->preset,
                    "rd-xs, rd-s, rd-m, rd-l, internvl2-1b, -2b, -4b, -8b, -26b, or 'all'");
    cmd->add_option("--model", o->model, "Checkpoint folder (ours or InternVL2's config.json)");
    cmd->callback([o] {
        if (o->preset.empty() == o->model.empty())
            throw Error(ErrorKind::InvalidArgument, "give exactly one of --preset and --model");
        if (!o->model.empty()) {
            printJsonPretty(countsJson(model::readModelConfig(o->model)));
            return;
        }
        if (o->preset != "all") {
            printJsonPretty(countsJson(model::presetConfig(o->preset)));
            return;
        }
        nlohmann::json all = nlohmann::json::array();
        for (const auto& name : model::presetNames())
            all.push_back(countsJson(model::presetConfig(name)));
        printJsonPretty(all);
    });
}

void addScore(CLI::App& rm) {
    struct Options {
        std::string model, prompt, ref, device = "cpu";
        std::vector<std::string> candidates;
        bool cot = false;
        int maxNewTokens = 160;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = rm.add_subcommand(
        "score", "Score candidate images against a reference with a reward model (P(yes), Eq. 2)");
    cmd->add_option("--model", o->model, "Reward model checkpoint folder")->required();
    cmd->add_option("--prompt", o->prompt, "The generation prompt")->required();
    cmd->add_option("--ref", o->ref, "Reference image (image 1)");
    cmd->add_option("--cand", o->candidates, "Candidate image(s) (image 2)")->required();
    cmd->add_flag("--cot", o->cot, "Also generate the chain-of-thought rationale (greedy)");
    cmd->add_option("--max-new-tokens", o->maxNewTokens, "Rationale length limit (default 160)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--device", o->device, "cpu, cuda or cuda:N (default cpu)");
    cmd->callback([o] {
        compute::configureThreads(compute::defaultContext());
        reward::ScorerOptions options;
        options.chainOfThought = o->cot;
        options.maxNewTokens = o->maxNewTokens;
        reward::Scorer scorer = reward::Scorer::open(o->model, o->device, options);
        const bool pairwise =
            scorer.model().spec().paradigm == reward::Paradigm::PairwiseGenerative &&
            scorer.model().spec().withReference;
        if (pairwise && o->ref.empty())
            throw Error(ErrorKind::InvalidArgument,
                        "this pairwise reward model needs a reference image: --ref IMG");
        const cv::Mat reference = o->ref.empty() ? cv::Mat() : media::loadImageRgb(o->ref);
        std::vector<reward::PairToScore> pairs;
        for (const auto& c : o->candidates)
            pairs.push_back({o->prompt, reference, media::loadImageRgb(c)});
        const auto scores = scorer.scorePairs(pairs);
        for (size_t i = 0; i < scores.size(); ++i) {
            nlohmann::json line = {
                {"candidate", o->candidates[i]},
                {"reward", scores[i].reward},
                {"paradigm", reward::paradigmName(scorer.model().spec().paradigm)}};
            if (scorer.model().spec().paradigm != reward::Paradigm::PointwiseRegressive) {
                line["p_yes"] = scores[i].pYes;
                line["p_no"] = scores[i].pNo;
                line["p_yes_renormalized"] = scores[i].pYesRenormalized;
            }
            if (o->cot)
                line["rationale"] = scores[i].rationale;
            printJson(line);
        }
    });
}

} // namespace

void addRmCommands(CLI::App& app) {
    CLI::App* rm =
        app.add_subcommand("rm", "Reward models: sizes, scoring, training, evaluation, judging");
    rm->require_subcommand(1);
    addInfo(*rm);
    addScore(*rm);
    addRmJobCommands(*rm);
}

} // namespace rd::cli
