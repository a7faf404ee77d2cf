// `rdance refl` and `rdance search`: the generator with a reward model (core/refl): ReFL
// fine-tuning from a job spec, and Search over Paths with a pointwise RM as the verifier.
#include "cancel_signal.h"
#include "cli_output.h"
#include "commands.h"
#include "common/error.h"
#include "compute/compute_context.h"
#include "diffusion/alignment_eval.h"
#include "diffusion/shapeworld_prompts.h"
#include "diffusion/text_to_image.h"
#include "media/image_io.h"
#include "refl/image_reward.h"
#include "refl/path_search.h"
#include "refl/refl_trainer.h"
#include "store/file_hash.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/sqlite_db.h"
#include "store/workspace.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace rd::cli {
namespace fs = std::filesystem;

namespace {

void addRefl(CLI::App& app) {
    struct Options {
        std::string workspace, config;
        bool resume = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "refl", "Fine-tune a generator with a reward model (ReFL) from a JSON job spec "
                "(fields: docs/GENERATOR.md)");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--config", o->config, "Job spec (JSON)")->required();
    cmd->add_flag("--resume", o->resume, "Continue the unfinished run in the spec's out folder");
    cmd->footer(specFieldsFooter("refl", "docs/GENERATOR.md"));
    cmd->callback([o] {
        const refl::ReflSpec spec = refl::readReflSpec(o->config);
        auto ws = store::Workspace::open(o->workspace);
        refl::ReflControl control;
        control.cancelled = cancelRequested;
        installCancelHandler();
        control.resume = o->resume;
        refl::trainRefl(*ws, spec, &std::cout, control);
    });
}

// Stores one image as a generation of `generator` (file written atomically, rows in one
// transaction).
void storeGeneration(store::Workspace& ws, const std::string& generator, store::RowId promptId,
                     std::uint64_t seed, const cv::Mat& rgb) {
    const fs::path file = ws.mediaFolder() / "generated" / generator /
                          ("p" + std::to_string(promptId) + "-s" + std::to_string(seed) + ".png");
    fs::create_directories(file.parent_path());
    media::saveImageRgb(file, rgb);
    store::Transaction tx(ws.database());
    const store::RowId mediaId = ws.media().findOrInsert(store::sha256File(file), [&] {
        store::MediaRecord m;
        m.path = ws.storableMediaPath(file);
        m.width = rgb.cols;
        m.height = rgb.rows;
        return m;
    });
    ws.generations().findOrInsert(
        {0, promptId, mediaId, generator, static_cast<std::int64_t>(seed), std::nullopt});
    tx.commit();
}

void addSearch(CLI::App& app) {
    struct Options {
        std::string workspace, model, verifier, split = "id", store, sampler = "euler";
        int limit = 24, threads = 0;
        refl::SearchOptions search;
    };
    auto o = std::make_shared<Options>();
    o->search.sampling.steps = 20;
    CLI::App* cmd = app.add_subcommand(
        "search", "Search over Paths: sample a split's prompts with a pointwise reward model "
                  "pruning the paths, store the results, and compare one sample, Best-of-N and "
                  "the search by the verifier and the oracle");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--model", o->model, "Generator folder")->required();
    cmd->add_option("--verifier", o->verifier, "Pointwise (or regressive) reward model folder")
        ->required();
    cmd->add_option("--split", o->split, "ShapeWorld prompts of this split (default id)");
    cmd->add_option("--limit", o->limit, "At most this many prompts, spread over the split (24)");
    cmd->add_option("--paths", o->search.paths, "Paths kept (N, default 4)");
    cmd->add_option("--branches", o->search.branches, "Branches per path at a pruning (2)");
    cmd->add_option("--interval", o->search.interval, "ODE steps between prunings (5)");
    cmd->add_option("--renoise", o->search.renoise, "How far up the path branches restart (0.1)");
    cmd->add_option("--steps", o->search.sampling.steps, "ODE steps (default 20)");
    cmd->add_option("--sampler", o->sampler, "euler or heun (default euler)");
    cmd->add_option("--guidance", o->search.sampling.guidance, "Guidance scale (default 3)");
    cmd->add_option("--seed", o->search.seed, "First noise seed (default 1)");
    cmd->add_option("--store", o->store, "Store results as this generator (default: MODEL-search)");
    cmd->add_option("--threads", o->threads, "Threads (default: one per free core)");
    cmd->callback([o] {
        compute::ComputeContext ctx;
        ctx.threads = o->threads;
        compute::configureThreads(ctx);
        o->search.sampling.sampler = diffusion::parseSampler(o->sampler);
        auto ws = store::Workspace::open(o->workspace);
        auto generator = diffusion::TextToImage::load(o->model, c10::kCPU);
        refl::ImageReward verifier = refl::ImageReward::load(o->verifier);
        if (verifier.needsReference())
            throw Error(ErrorKind::InvalidArgument,
                        o->verifier + ": a pairwise reward model needs a reference; the search's "
                                      "verifier is a pointwise (or regressive) one (paper §3.3.2)");
        const auto prompts = diffusion::spreadOver(
            diffusion::shapeWorldImagePrompts(*ws, o->split, {}).prompts, o->limit);
        if (prompts.empty())
            throw Error(ErrorKind::InvalidArgument,
                        "no ShapeWorld image prompts in split '" + o->split + "'");
        const std::string name =
            o->store.empty() ? fs::path(o->model).lexically_normal().filename().string() + "-search"
                             : o->store;
        diffusion::AlignmentReport one, bestOfN, searched;
        double oneScore = 0, bestScore = 0, searchScore = 0;
        int fromSearch = 0, calls = 0;
        for (size_t i = 0; i < prompts.size(); ++i) {
            const auto& p = prompts[i];
            refl::SearchOptions options = o->search;
            options.seed = o->search.seed + i * 1000;
            const refl::SearchResult r = refl::searchOverPaths(
                *generator, p.record.text,
                [&](const at::Tensor& images) {
                    return verifier.score(images,
                                          std::vector<std::string>(images.size(0), p.record.text));
                },
                options);
            auto image = [](const at::Tensor& x) {
                return diffusion::tensorToImages(x.unsqueeze(0))[0];
            };
            one.add(p.record.category, image(r.firstPathImage), p.spec);
            bestOfN.add(p.record.category, image(r.bestInitialImage), p.spec);
            const cv::Mat best = image(r.image);
            searched.add(p.record.category, best, p.spec);
            oneScore += r.firstPathScore;
            bestScore += r.bestInitialScore;
            searchScore += r.score;
            fromSearch += r.fromSearch ? 1 : 0;
            calls += r.verifierCalls;
            storeGeneration(*ws, name, p.record.id, options.seed, best);
            printJson({{"event", "progress"},
                       {"done", i + 1},
                       {"total", prompts.size()},
                       {"score", r.score},
                       {"best_initial", r.bestInitialScore}});
        }
        const double n = static_cast<double>(prompts.size());
        printJsonPretty({{"stored_as", name},
                         {"prompts", prompts.size()},
                         {"verifier",
                          {{"one_sample", oneScore / n},
                           {"best_of_n", bestScore / n},
                           {"search", searchScore / n},
                           {"search_won", fromSearch},
                           {"images_scored", calls}}},
                         {"oracle_alignment",
                          {{"one_sample", diffusion::toJson(one)},
                           {"best_of_n", diffusion::toJson(bestOfN)},
                           {"search", diffusion::toJson(searched)}}}});
    });
}

} // namespace

void addReflCommands(CLI::App& app) {
    addRefl(app);
    addSearch(app);
}

} // namespace rd::cli
