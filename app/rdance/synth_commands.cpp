// ShapeWorld on the command line: `rdance demo`, `rdance synth` and `rdance oracle`.
#include "cli_output.h"
#include "commands.h"
#include "common/error.h"
#include "eval/table_writer.h"
#include "store/generation_repository.h"
#include "store/media_repository.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"
#include "synth/demo_builder.h"
#include "synth/oracle_file.h"
#include "synth/pair_rationale.h"
#include "synth/prompt_parser.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <memory>

namespace rd::cli {

namespace {

using Clock = std::chrono::steady_clock;

bool printProgress(const synth::SynthProgress& p) {
    printJson({{"event", "progress"}, {"phase", p.phase}, {"done", p.done}, {"total", p.total}});
    return true;
}

nlohmann::json writeReportJson(const synth::SynthWriteReport& r) {
    return {{"prompts", r.prompts},
            {"prompts_added", r.promptsAdded},
            {"media_added", r.mediaAdded},
            {"media_reused", r.mediaReused},
            {"generations_added", r.generationsAdded},
            {"pairs_added", r.pairsAdded},
            {"pairs_existing", r.pairsExisting}};
}

void addDemoCommand(CLI::App& app) {
    struct Options {
        std::string workspace;
        std::uint64_t seed = 1;
        int threads = 2;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "demo", "Make the demo workspace from ShapeWorld: images and clips in all splits, their "
                "pairs with rationales, two generators and a GSB study between them");
    cmd->add_option("WS", o->workspace, "Workspace folder to create")->required();
    cmd->add_option("--seed", o->seed, "Seed (default 1); the same seed makes the same workspace");
    cmd->add_option("--threads", o->threads, "Render workers (default 2)");
    cmd->callback([o] {
        const auto start = Clock::now();
        synth::DemoOptions options;
        options.seed = o->seed;
        options.threads = o->threads;
        options.progress = printProgress;
        const synth::DemoReport r = synth::buildDemo(o->workspace, options);
        nlohmann::json done = writeReportJson(r.write);
        done["event"] = "done";
        done["workspace"] = o->workspace;
        done["images"] = r.images;
        done["clips"] = r.clips;
        done["gsb_study"] = synth::kDemoStudyName;
        done["gsb_items"] = r.gsbItems;
        done["gsb_honeypots"] = r.honeypots;
        done["gsb_repeats"] = r.repeats;
        done["seconds"] = std::chrono::duration<double>(Clock::now() - start).count();
        printJson(done);
    });
}

void addSynthCommand(CLI::App& app) {
    struct Options {
        std::string workspace;
        int prompts = 0;
        std::string split = "train";
        std::uint64_t seed = 1;
        bool video = false;
        int size = 64;
        int frames = synth::kDefaultClipFrames;
        int threads = 2;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "synth", "Add ShapeWorld prompts to a workspace: for each, the clean and sloppy "
                 "generators' samples, near misses and preference pairs with rationales");
    cmd->add_option("WS", o->workspace, "Workspace folder")->required();
    cmd->add_option("--prompts", o->prompts, "Prompts to add")->required();
    cmd->add_option("--split", o->split, "train, id (in-domain test) or ood (out-of-domain test)");
    cmd->add_option("--seed", o->seed, "Seed (default 1); the same seed adds the same items");
    cmd->add_flag("--video", o->video, "Short clips of moving objects instead of images");
    cmd->add_option("--size", o->size, "Image or clip size in pixels (default 64)");
    cmd->add_option("--frames", o->frames, "Frames per clip (default 16)");
    cmd->add_option("--threads", o->threads, "Render workers (default 2)");
    cmd->callback([o] {
        const auto split = synth::parseSplit(o->split);
        if (!split)
            throw Error(ErrorKind::InvalidArgument,
                        "--split: '" + o->split + "' is not train, id or ood");
        if (o->prompts < 1)
            throw Error(ErrorKind::InvalidArgument, "--prompts: must be at least 1");
        if (o->frames < 2 || o->frames > 240)
            throw Error(ErrorKind::InvalidArgument, "--frames: must be within 2..240");
        auto ws = store::Workspace::open(o->workspace);
        synth::BundleOptions bundleOptions;
        bundleOptions.size = o->size;
        bundleOptions.frames = o->frames;
        const auto bundles =
            synth::makeBundles(*split, o->video ? synth::MediaMode::Video : synth::MediaMode::Image,
                               o->prompts, o->seed, bundleOptions);
        synth::SynthWriteOptions writeOptions;
        writeOptions.threads = o->threads;
        writeOptions.progress = printProgress;
        nlohmann::json done = writeReportJson(synth::writeBundles(*ws, bundles, writeOptions));
        done["event"] = "done";
        done["split"] = o->split;
        printJson(done);
    });
}

struct CategoryTally {
    long items = 0;
    long satisfied = 0;
    double scoreSum = 0.0;
};

nlohmann::json resultJson(const synth::OracleResult& r) {
    nlohmann::json constraints = nlohmann::json::array();
    for (const auto& c : r.judgement.constraints)
        constraints.push_back({{"kind", synth::name(c.kind)}, {"text", c.text}, {"met", c.met}});
    nlohmann::json objects = nlohmann::json::array();
    for (const auto& d : r.objects)
        objects.push_back({{"shape", synth::name(d.object.shape)},
                           {"color", synth::name(d.object.color)},
                           {"x", d.object.x},
                           {"y", d.object.y},
                           {"radius", d.object.radius}});
    return {{"satisfied", r.judgement.satisfied},
            {"score", r.judgement.score},
            {"constraints", constraints},
            {"objects", objects},
            {"frames", r.observation.frames.size()}};
}

// The summary as JSON on stdout, and as a Markdown table on stderr for people.
void printSummary(const std::map<std::string, CategoryTally>& tally) {
    Table table{{"category", "items", "satisfied", "accuracy", "mean_score"}, {}};
    nlohmann::json categories = nlohmann::json::array();
    CategoryTally all;
    auto add = [&](const std::string& category, const CategoryTally& t) {
        const double accuracy = t.items ? double(t.satisfied) / double(t.items) : 0.0;
        const double mean = t.items ? t.scoreSum / double(t.items) : 0.0;
        table.rows.push_back(
            {category, std::int64_t(t.items), std::int64_t(t.satisfied), accuracy, mean});
        categories.push_back({{"category", category},
                              {"items", t.items},
                              {"satisfied", t.satisfied},
                              {"accuracy", accuracy},
                              {"mean_score", mean}});
    };
    for (const auto& [category, t] : tally) {
        add(category, t);
        all.items += t.items;
        all.satisfied += t.satisfied;
        all.scoreSum += t.scoreSum;
    }
    add("overall", all);
    printJson({{"event", "summary"}, {"categories", categories}});
    eval::writeTable(table, eval::TableFormat::Markdown, std::cerr);
}

void addOracleCommand(CLI::App& app) {
    struct Options {
        std::vector<std::string> targets;
        std::string prompt;
        std::string generator;
        long limit = -1;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "oracle", "Score images or clips against a prompt from their pixels (ShapeWorld's "
                  "GenEval-style oracle): FILE... --prompt TEXT, or WS --generator G. JSON per "
                  "item on stdout, then a per-category summary (also as a table on stderr)");
    cmd->add_option("TARGET", o->targets, "Image/clip files, or one workspace folder")->required();
    cmd->add_option("--prompt", o->prompt, "The prompt the files are scored against");
    cmd->add_option("--generator", o->generator, "Score this generator's generations in WS");
    cmd->add_option("--limit", o->limit, "Score at most this many generations");
    cmd->callback([o] {
        std::map<std::string, CategoryTally> tally;
        auto count = [&](const synth::PromptSpec& spec, const synth::OracleResult& r) {
            CategoryTally& t = tally[synth::name(spec.category)];
            ++t.items;
            t.satisfied += r.judgement.satisfied ? 1 : 0;
            t.scoreSum += r.judgement.score;
        };
        if (o->generator.empty()) {
            if (o->prompt.empty())
                throw Error(ErrorKind::InvalidArgument,
                            "oracle: give --prompt TEXT for files, or --generator G for a "
                            "workspace");
            const synth::PromptSpec spec = synth::parsePrompt(o->prompt);
            for (const std::string& file : o->targets) {
                const synth::OracleResult r = synth::scoreFile(spec, file);
                nlohmann::json item = resultJson(r);
                item["file"] = file;
                item["category"] = synth::name(spec.category);
                printJson(item);
                count(spec, r);
            }
            printSummary(tally);
            return;
        }
        if (o->targets.size() != 1)
            throw Error(ErrorKind::InvalidArgument, "oracle --generator: give one workspace");
        auto ws = store::Workspace::open(o->targets[0]);
        const auto generations = ws->generations().listByGenerator(o->generator);
        if (generations.empty())
            throw Error(ErrorKind::NotFound,
                        "generator '" + o->generator + "' has no generations in " + o->targets[0]);
        long scored = 0;
        for (const auto& g : generations) {
            if (o->limit >= 0 && scored >= o->limit)
                break;
            const auto prompt = ws->prompts().get(g.promptId);
            const auto media = ws->media().get(g.mediaId);
            nlohmann::json item = {{"generation", g.id}};
            if (!prompt || !media) {
                item["skipped"] = "prompt or media row missing";
                printJson(item);
                continue;
            }
            item["prompt"] = prompt->text;
            item["split"] = prompt->split;
            item["file"] = media->path;
            try {
                const synth::PromptSpec spec = synth::promptSpecOf(*prompt);
                const synth::OracleResult r =
                    synth::scoreFile(spec, ws->resolveMediaPath(media->path));
                item.update(resultJson(r));
                item["category"] = synth::name(spec.category);
                count(spec, r);
                ++scored;
            } catch (const Error& e) {
                if (e.kind() == ErrorKind::Internal || e.kind() == ErrorKind::Database)
                    throw;
                item["skipped"] = e.what(); // a prompt outside ShapeWorld, an unreadable file
            }
            printJson(item);
        }
        printSummary(tally);
    });
}

} // namespace

void addSynthCommands(CLI::App& app) {
    addDemoCommand(app);
    addSynthCommand(app);
    addOracleCommand(app);
}

} // namespace rd::cli
