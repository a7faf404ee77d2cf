#include "rm_bench.h"
#include "bench_tokenizer.h"
#include "python_baseline.h"
#include "scratch_folder.h"
#include "timing.h"

#include "common/error.h"
#include "compute/compute_context.h"
#include "compute/matmul_peak.h"
#include "model/model_checkpoint.h"
#include "model/safetensors_writer.h"
#include "reward/reward_model.h"
#include "reward/scorer.h"
#include "rm_flops.h"

#include <opencv2/core.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include <unistd.h>

namespace rd::bench {
namespace fs = std::filesystem;

namespace {

constexpr int64_t kImageContext = 3;
constexpr int64_t kYes = 11;

// A scoring batch shaped like the RM prompt: text, image 1, text, image 2, question.
torch::Tensor benchIds(const model::VlmConfig& c, int batch) {
    const int64_t k = c.tokensPerTile();
    std::vector<torch::Tensor> parts = {
        torch::randint(20, c.lm.vocabSize, {batch, 24}, torch::kLong),
        torch::full({batch, k}, kImageContext, torch::kLong),
        torch::randint(20, c.lm.vocabSize, {batch, 8}, torch::kLong),
        torch::full({batch, k}, kImageContext, torch::kLong),
        torch::randint(20, c.lm.vocabSize, {batch, 28}, torch::kLong)};
    return torch::cat(parts, 1);
}

// The engine's side of one turn: the median of `repeats` scoring batches.
double cppSecondsPerBatch(model::VisionLanguageModel& vlm, const torch::Tensor& ids,
                          const torch::Tensor& pixels, int repeats) {
    c10::InferenceMode inference; // no autograd bookkeeping at all: cheaper than NoGradGuard
    const auto answer = torch::full({ids.size(0)}, ids.size(1) - 1, torch::kLong);
    std::vector<double> times;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        const auto features =
            vlm->encodeImages(pixels).reshape({ids.size(0), -1, vlm->config().lm.hidden});
        const auto hidden = vlm->forward(ids, features, kImageContext, nullptr, answer);
        const auto probabilities = torch::softmax(vlm->logits(hidden.squeeze(1)), -1);
        probabilities.select(1, kYes).sum().item<double>();
        times.push_back(secondsSince(start));
    }
    return median(times);
}

nlohmann::json presetFigures(const RmBenchOptions& o, const std::string& preset, int threads,
                             double peakGflops, const fs::path& scratch) {
    const model::VlmConfig config = model::presetConfig(preset);
    torch::manual_seed(1);
    model::VisionLanguageModel vlm(config);
    vlm->eval();
    const torch::Tensor ids = benchIds(config, o.batch);
    const int64_t size = config.vision.imageSize;
    const torch::Tensor pixels = torch::randn({2 * o.batch, 3, size, size});

    const fs::path folder = scratch / preset;
    model::saveModel(vlm, folder);
    const fs::path inputs = scratch / (preset + "-inputs.safetensors");
    model::writeSafetensors(inputs,
                            {{"ids", ids},
                             {"pixels", pixels},
                             {"image_context_id", torch::tensor({kImageContext}, torch::kLong)},
                             {"yes_id", torch::tensor({kYes}, torch::kLong)}});
    PythonWorker python(
        o.python, o.scriptDir, "rm_bench.py",
        {folder.string(), inputs.string(), std::to_string(threads), std::to_string(o.repeats)});
    cppSecondsPerBatch(vlm, ids, pixels, 1); // warm-up, as the worker did before it was ready
    const AlternatingTimes t = timeAlternating(
        o.rounds, [&] { return cppSecondsPerBatch(vlm, ids, pixels, o.repeats); },
        [&] { return python.run().at("seconds_per_batch").get<double>(); });
    const double cpp = t.engineSeconds, pythonSeconds = t.baselineSeconds;
    const double flops = pairScoringFlops(config, static_cast<int>(ids.size(1)));
    const double pairsPerSecond = o.batch / cpp;
    return {{"preset", preset},
            {"parameters", model::countParameters(config).total()},
            {"prompt_tokens", ids.size(1)},
            {"pairs_per_s", pairsPerSecond},
            {"gflops", flops * pairsPerSecond / 1e9},
            {"fraction_of_matmul_peak", flops * pairsPerSecond / 1e9 / peakGflops},
            {"python_pairs_per_s", o.batch / pythonSeconds},
            {"speedup_vs_python", t.ratio},
            {"speedup_vs_python_per_round", t.ratios}};
}

nlohmann::json prefixSharingFigures(const RmBenchOptions& o, const fs::path& scratch) {
    writeBenchTokenizer(scratch / "tokenizer.json");
    torch::manual_seed(2);
    reward::Scorer scorer(std::shared_ptr<reward::RewardModel>(reward::RewardModel::create(
        model::presetConfig("rd-s"), scratch / "tokenizer.json", {}, torch::kCPU)));
    cv::Mat reference(64, 64, CV_8UC3);
    cv::randu(reference, 0, 255);
    std::vector<cv::Mat> candidates(16);
    for (cv::Mat& c : candidates) {
        c.create(64, 64, CV_8UC3);
        cv::randu(c, 0, 255);
    }
    auto time = [&](reward::PrefixSharing sharing) {
        const auto start = Clock::now();
        scorer.scoreCandidates("three red circles and a blue square", reference, candidates,
                               sharing);
        return secondsSince(start);
    };
    time(reward::PrefixSharing::On); // warm-up
    // Alternating turns, as for the Python ratio: the speedup is the median of the turns'.
    const AlternatingTimes t = timeAlternating(
        o.rounds, [&] { return time(reward::PrefixSharing::On); },
        [&] { return time(reward::PrefixSharing::Off); });
    return {{"preset", "rd-s"},
            {"candidates", 16},
            {"seconds_without", t.baselineSeconds},
            {"seconds_with", t.engineSeconds},
            {"speedup", t.ratio}};
}

} // namespace

nlohmann::json runRmBench(const RmBenchOptions& o) {
    if (o.repeats < 1 || o.rounds < 1 || o.batch < 1)
        throw Error(ErrorKind::InvalidArgument,
                    "bench rm needs --repeats, --rounds and --batch of at least 1");
    compute::ComputeContext ctx;
    ctx.threads = o.threads;
    const int threads = compute::configureThreads(ctx);
    const compute::MatmulPeak peak = compute::measureMatmulPeak(ctx, 1024, 1.0);
    const ScratchFolder scratch("rm");
    nlohmann::json result = {
        {"threads", threads}, {"batch", o.batch}, {"matmul_peak_gflops", peak.gflops}};
    nlohmann::json rows = nlohmann::json::array();
    for (const std::string& preset : o.presets)
        rows.push_back(presetFigures(o, preset, threads, peak.gflops, scratch.path()));
    result["presets"] = rows;
    result["prefix_sharing"] = prefixSharingFigures(o, scratch.path());
    return result;
}

} // namespace rd::bench
