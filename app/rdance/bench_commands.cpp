#include "cli_output.h"
#include "commands.h"
#include "contention_bench.h"
#include "media_bench.h"
#include "rm_bench.h"
#include "rm_train_bench.h"
#include "store_bench.h"
#include "synth_bench.h"

#include <CLI/CLI.hpp>

#include <memory>

namespace rd::cli {

void addBenchCommands(CLI::App& app) {
    CLI::App* bench = app.add_subcommand("bench", "Benchmarks that print their figures as JSON");
    bench->require_subcommand(1);
    auto store = std::make_shared<bench::StoreBenchOptions>();
    CLI::App* storeCmd =
        bench->add_subcommand("store", "Import throughput (100k pair rows), GSB judgment "
                                       "commits/s, and the Inspect view's queries over them");
    storeCmd->add_option("--rows", store->rows, "Pair rows to import (default 100000)");
    storeCmd->add_option("--images", store->images, "Distinct images (default 2000)");
    storeCmd->add_option("--commits", store->commits, "Judgments to commit (default 2000)");
    storeCmd->callback([store] { printJsonPretty(bench::runStoreBench(*store)); });

    auto media = std::make_shared<bench::MediaBenchOptions>();
    CLI::App* mediaCmd = bench->add_subcommand(
        "media", "Decode throughput vs the ffmpeg CLI, 8-frame sampling latency, image "
                 "load + preprocess throughput");
    mediaCmd->add_option("--threads", media->threads, "Decoder threads (default: one per core)");
    mediaCmd->add_option("--repeats", media->repeats, "Timed runs per figure (default 5)");
    mediaCmd->add_option("--keyframe-seconds", media->keyframeSeconds,
                         "GOP of the generated clip in seconds (default: x264's, 250 frames)");
    mediaCmd->add_option("--images", media->images, "Images to load (default 100)");
    mediaCmd->callback([media] { printJsonPretty(bench::runMediaBench(*media)); });

    auto synth = std::make_shared<bench::SynthBenchOptions>();
    CLI::App* synthCmd = bench->add_subcommand(
        "synth", "ShapeWorld renders/s and oracle checks/s (64 and 256 px), and the oracle's "
                 "agreement with the ground truth, clean and under blur and noise");
    synthCmd->add_option("--renders", synth->renders, "Images per size (default 2000)");
    synthCmd->add_option("--prompts", synth->agreementPrompts,
                         "Prompts per degradation (default 1000)");
    synthCmd->add_option("--size", synth->size, "Image size for the agreement ladder (default 64)");
    synthCmd->callback([synth] { printJsonPretty(bench::runSynthBench(*synth)); });

    auto rm = std::make_shared<bench::RmBenchOptions>();
    CLI::App* rmCmd = bench->add_subcommand(
        "rm", "Reward-model scoring: pairs/s, GFLOP/s against the matmul peak and the ratio to "
              "the Python reference per preset; prefix-sharing speedup for 16 candidates");
    rmCmd->add_option("--preset", rm->presets, "Presets (default rd-xs rd-s rd-m rd-l)");
    rmCmd->add_option("--batch", rm->batch, "Pairs per forward (default 8)")
        ->check(CLI::PositiveNumber);
    rmCmd->add_option("--repeats", rm->repeats, "Timed batches per turn (default 2)");
    rmCmd->add_option("--rounds", rm->rounds,
                      "Alternating C++ / Python turns per preset, batch by batch in one Python "
                      "worker; the ratio is their median (default 15)");
    rmCmd->add_option("--threads", rm->threads, "Threads for both sides (default: one per core)");
    rmCmd->add_option("--python", rm->python, "Python with torch (default /usr/bin/python3)");
    rmCmd->add_option("--python-dir", rm->scriptDir, "Folder of rd_vlm.py and rm_bench.py");
    rmCmd->callback([rm] { printJsonPretty(bench::runRmBench(*rm)); });

    auto train = std::make_shared<bench::RmTrainBenchOptions>();
    CLI::App* trainCmd = bench->add_subcommand(
        "rm-train", "Reward-model training steps: pairs/s of the C++ trainer's step and the ratio "
                    "to the same step in PyTorch, per preset");
    trainCmd->add_option("--preset", train->presets, "Presets (default rd-xs rd-s rd-m)");
    trainCmd->add_option("--pairs", train->pairs, "Pairs per step, two rows each (default 8)");
    trainCmd->add_option("--repeats", train->repeats, "Timed steps per round (default 5)");
    trainCmd->add_option("--rounds", train->rounds,
                         "Alternating C++ / Python rounds; the ratio is their median (default 3)");
    trainCmd->add_option("--threads", train->threads,
                         "Threads for both sides (default: one per core)");
    trainCmd->add_option("--python", train->python, "Python with torch (default /usr/bin/python3)");
    trainCmd->add_option("--python-dir", train->scriptDir,
                         "Folder of rd_vlm.py and rm_train_bench.py");
    trainCmd->callback([train] { printJsonPretty(bench::runRmTrainBench(*train)); });

    auto contention = std::make_shared<bench::ContentionBenchOptions>();
    CLI::App* contentionCmd = bench->add_subcommand(
        "contention", "A reward-model training step alone and beside a busy neighbour (a process "
                      "spinning on a core): both times and the slowdown (target <= 2.2x), and "
                      "with the thread count backed off to the free cores");
    contentionCmd->add_option("--preset", contention->preset, "Preset (default rd-xs)");
    contentionCmd->add_option("--pairs", contention->pairs, "Pairs per step (default 8)");
    contentionCmd->add_option("--repeats", contention->repeats,
                              "Timed steps per phase (default 10)");
    contentionCmd->add_option("--rounds", contention->rounds,
                              "Alternating quiet / busy phases (default 3)");
    contentionCmd->add_option("--threads", contention->threads,
                              "Threads (default: one per free core, and the backed-off phase)");
    contentionCmd->callback(
        [contention] { printJsonPretty(bench::runContentionBench(*contention)); });
}

} // namespace rd::cli
