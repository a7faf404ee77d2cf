// `rdance gen train|sample|eval|info`: the flow-matching generator (core/diffusion): SFT on the
// workspace's ShapeWorld prompts, samples stored as generations, the oracle's alignment table.
#include "cancel_signal.h"
#include "cli_output.h"
#include "commands.h"
#include "common/error.h"
#include "compute/compute_context.h"
#include "diffusion/alignment_eval.h"
#include "diffusion/gen_train_spec.h"
#include "diffusion/gen_trainer.h"
#include "diffusion/generator_config.h"
#include "diffusion/sample_writer.h"
#include "diffusion/shapeworld_prompts.h"
#include "diffusion/text_to_image.h"
#include "eval/table_writer.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace rd::cli {
namespace fs = std::filesystem;

namespace {

// The options every sampling command shares.
struct SamplingOptions {
    int steps = 30;
    std::string sampler = "heun";
    double guidance = 3.0;
    std::uint64_t seed = 1000;
    int threads = 0;

    void addTo(CLI::App* cmd) {
        cmd->add_option("--steps", steps, "ODE steps (default 30)")->check(CLI::Range(1, 1000));
        cmd->add_option("--sampler", sampler, "euler or heun (default heun)");
        cmd->add_option("--guidance", guidance, "Classifier-free guidance scale (default 3)");
        cmd->add_option("--seed", seed, "First noise seed (default 1000)");
        cmd->add_option("--threads", threads, "Threads (default: one per free core)");
    }
    diffusion::SampleOptions sampleOptions() const {
        return {steps, diffusion::parseSampler(sampler), guidance};
    }
};

std::unique_ptr<diffusion::TextToImage> openGenerator(const std::string& folder, int threads) {
    compute::ComputeContext ctx;
    ctx.threads = threads;
    compute::configureThreads(ctx);
    return diffusion::TextToImage::load(folder, c10::kCPU);
}

void addTrain(CLI::App& gen) {
    struct Options {
        std::string workspace, config;
        bool resume = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = gen.add_subcommand(
        "train", "Train the generator (SFT) on the workspace's ShapeWorld prompts from a JSON job "
                 "spec (fields: docs/GENERATOR.md)");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--config", o->config, "Job spec (JSON)")->required();
    cmd->add_flag("--resume", o->resume, "Continue the unfinished run in the spec's out folder");
    cmd->footer(specFieldsFooter("gen-train", "docs/GENERATOR.md"));
    cmd->callback([o] {
        const diffusion::GenTrainSpec spec = diffusion::readGenTrainSpec(o->config);
        auto ws = store::Workspace::open(o->workspace);
        diffusion::GenTrainControl control;
        control.cancelled = cancelRequested;
        installCancelHandler();
        control.resume = o->resume;
        diffusion::trainGenerator(*ws, spec, &std::cout, control);
    });
}

void addSample(CLI::App& gen) {
    struct Options {
        std::string workspace, model, name, split = "id";
        std::vector<std::string> prompts;
        int perPrompt = 1, limit = 0;
        SamplingOptions sampling;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = gen.add_subcommand(
        "sample", "Sample images for a split's prompts (or given prompts) and store them in the "
                  "workspace as the generator's generations");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--model", o->model, "Generator folder")->required();
    cmd->add_option("--name", o->name, "Generator name in the workspace (default: folder name)");
    cmd->add_option("--split", o->split, "Prompts of this split (default id)");
    cmd->add_option("--prompt", o->prompts, "A prompt to sample (repeatable; stored in --split)");
    cmd->add_option("--n", o->perPrompt, "Images per prompt (default 1)")
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--limit", o->limit, "At most this many prompts (default all)");
    o->sampling.addTo(cmd);
    cmd->callback([o] {
        auto generator = openGenerator(o->model, o->sampling.threads);
        auto ws = store::Workspace::open(o->workspace);
        std::vector<store::PromptRecord> prompts;
        if (!o->prompts.empty()) {
            for (const std::string& text : o->prompts) {
                store::PromptRecord p{0, text, "custom", o->split, "{}"};
                p.id = ws->prompts().findOrInsert(p);
                prompts.push_back(p);
            }
        } else {
            prompts = ws->prompts().listBySplit(o->split);
        }
        if (o->limit > 0 && prompts.size() > static_cast<size_t>(o->limit))
            prompts.resize(static_cast<size_t>(o->limit));
        if (prompts.empty())
            throw Error(ErrorKind::InvalidArgument, "no prompts in split '" + o->split + "'");
        diffusion::SampleWriteOptions options;
        options.generator =
            o->name.empty() ? fs::path(o->model).lexically_normal().filename().string() : o->name;
        options.perPrompt = o->perPrompt;
        options.sampling = o->sampling.sampleOptions();
        options.seed = o->sampling.seed;
        const auto report =
            diffusion::writeSamples(*ws, *generator, prompts, options, [](int done, int total) {
                printJson({{"event", "progress"}, {"done", done}, {"total", total}});
            });
        printJsonPretty({{"generator", options.generator},
                         {"prompts", prompts.size()},
                         {"images", report.images},
                         {"media_added", report.mediaAdded},
                         {"generations_added", report.generationsAdded}});
    });
}

void addEval(CLI::App& gen) {
    struct Options {
        std::string workspace, split = "id", format = "markdown";
        std::vector<std::string> models;
        int perPrompt = 4, limit = 0;
        SamplingOptions sampling;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = gen.add_subcommand(
        "eval", "Oracle alignment per GenEval category of one or more generators on a split's "
                "ShapeWorld prompts (the Table-4-style table)");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--model", o->models, "Generator folder (repeatable)")->required();
    cmd->add_option("--split", o->split, "Prompts of this split (default id)");
    cmd->add_option("--n", o->perPrompt, "Images per prompt (default 4)")
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--limit", o->limit, "At most this many prompts, spread over the split");
    cmd->add_option("--format", o->format, "markdown, csv, latex or json (default markdown)");
    o->sampling.addTo(cmd);
    cmd->callback([o] {
        auto ws = store::Workspace::open(o->workspace);
        std::vector<diffusion::WorldPrompt> prompts =
            diffusion::shapeWorldImagePrompts(*ws, o->split, {}).prompts;
        if (prompts.empty())
            throw Error(ErrorKind::InvalidArgument,
                        "no ShapeWorld image prompts in split '" + o->split + "'");
        prompts = diffusion::spreadOver(prompts, o->limit);
        const eval::TableFormat format = eval::parseTableFormat(o->format);
        std::vector<std::pair<std::string, diffusion::AlignmentReport>> reports;
        nlohmann::json all = nlohmann::json::object();
        for (const std::string& model : o->models) {
            auto generator = openGenerator(model, o->sampling.threads);
            diffusion::AlignmentOptions options;
            options.perPrompt = o->perPrompt;
            options.sampling = o->sampling.sampleOptions();
            options.seed = o->sampling.seed;
            const std::string name = fs::path(model).lexically_normal().filename().string();
            reports.emplace_back(name, diffusion::evaluateAlignment(*generator, prompts, options));
            all[name] = diffusion::toJson(reports.back().second);
            all[name]["run_id"] =
                diffusion::recordAlignment(*ws, fs::absolute(model).lexically_normal().string(),
                                           o->split, reports.back().second);
            std::cerr << "rdance gen eval: " << name << " done\n";
        }
        if (format == eval::TableFormat::Json) {
            printJsonPretty({{"split", o->split}, {"prompts", prompts.size()}, {"models", all}});
            return;
        }
        eval::writeTable(diffusion::alignmentTable(reports), format, std::cout);
    });
}

void addInfo(CLI::App& gen) {
    auto preset = std::make_shared<std::string>();
    CLI::App* cmd = gen.add_subcommand("info", "Shape and parameter count of a generator preset");
    cmd->add_option("--preset", *preset, "gen-xs, gen-s or gen-m")->required();
    cmd->callback([preset] {
        diffusion::GeneratorConfig config = diffusion::generatorPreset(*preset);
        diffusion::FlowGenerator net(config);
        nlohmann::json j = diffusion::toJson(config);
        j["preset"] = *preset;
        j["parameters"] = net->parameterCount();
        printJsonPretty(j);
    });
}

} // namespace

void addGenCommands(CLI::App& app) {
    CLI::App* gen = app.add_subcommand("gen", "The generator: SFT, samples, oracle alignment");
    gen->require_subcommand(1);
    addTrain(*gen);
    addSample(*gen);
    addEval(*gen);
    addInfo(*gen);
}

} // namespace rd::cli
