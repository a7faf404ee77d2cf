#include "refl/refl_trainer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "compute/compute_context.h"
#include "diffusion/alignment_eval.h"
#include "diffusion/flow_matching.h"
#include "diffusion/gen_trainer.h"
#include "diffusion/generator_checkpoint.h"
#include "diffusion/sft_data.h"
#include "diffusion/shapeworld_prompts.h"
#include "diffusion/text_to_image.h"
#include "eval/reward_window.h"
#include "jobs/event_sink.h"
#include "jobs/job_names.h"
#include "jobs/run_budget.h"
#include "jobs/run_lease.h"
#include "jobs/state_folder.h"
#include "jobs/unit_stream.h"
#include "model/checkpoint.h"
#include "model/safetensors_writer.h"
#include "refl/best_of_n.h"
#include "refl/image_reward.h"
#include "reward/lr_schedule.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "text/json_file.h"

#include <torch/torch.h>

#include <chrono>

namespace rd::refl {
namespace fs = std::filesystem;
using namespace rd::diffusion;

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kStateFolder = "train_state";
constexpr const char* kStateFile = "state.json";
constexpr const char* kOptimizerFile = "optimizer.pt";
constexpr const char* kReferencesFile = "references.safetensors";

fs::path inWorkspace(store::Workspace& ws, const std::string& path) {
    return fs::path(path).is_absolute() ? fs::path(path) : ws.folder() / path;
}

struct TrainingState {
    std::int64_t step = 0;
    double seconds = 0.0;
    store::RowId runId = 0;
    nlohmann::json window = nlohmann::json::array(); // the reward window's iterations
    nlohmann::json lastEvaluation;
};

void saveState(const fs::path& folder, TextToImage& gen, torch::optim::AdamW& optimizer,
               const TrainingState& s, const ReflSpec& spec) {
    jobs::StateFolder(folder).replace([&](const fs::path& tmp) {
        gen.save(tmp / "model");
        torch::save(optimizer, (tmp / kOptimizerFile).string());
        const nlohmann::json j = {{"step", s.step},
                                  {"seconds", s.seconds},
                                  {"run_id", s.runId},
                                  {"window", s.window},
                                  {"last_evaluation", s.lastEvaluation},
                                  {"spec", toJson(spec)}};
        writeFileAtomically(tmp / kStateFile, [&](std::ostream& o) { o << j.dump(); });
    });
}

TrainingState readState(const fs::path& folder, const ReflSpec& spec) {
    const nlohmann::json j = jobs::readSavedState(folder / kStateFile, toJson(spec));
    TrainingState s;
    s.step = j.at("step").get<std::int64_t>();
    s.seconds = j.at("seconds").get<double>();
    s.runId = j.at("run_id").get<store::RowId>();
    s.window = j.at("window");
    s.lastEvaluation = j.at("last_evaluation");
    return s;
}

// The Best-of-N references of the run's prompts: computed once with the SFT generator and kept
// in the out folder with what they were computed from, so a resumed (or retried) run compares
// against the same images and a changed spec never reuses stale ones.
at::Tensor referencesFor(const ReflSpec& spec, const fs::path& out, TextToImage& sft,
                         ImageReward& reward, const std::vector<std::string>& prompts,
                         jobs::EventSink& sink) {
    const fs::path file = out / kReferencesFile;
    const std::string madeFrom = nlohmann::json{
        {"prompts", prompts},
        {"generator", spec.generator},
        {"reward_model", spec.rewardModel},
        {"references", jobs::nameOf(kReflReferencesNames, spec.references)},
        {"bon_candidates", spec.bonCandidates},
        {"bon_keep", spec.bonKeep},
        {"bon_steps", spec.bonSteps},
        {"guidance", spec.guidance},
        {"seed", spec.seed}}.dump();
    if (fs::exists(file)) {
        const auto checkpoint = model::Checkpoint::open(file);
        auto it = checkpoint.metadata().find("made_from");
        if (it == checkpoint.metadata().end() || it->second != madeFrom)
            throw Error(ErrorKind::InvalidArgument,
                        file.string() + ": references made for another spec; remove the file to "
                                        "compute them again");
        return checkpoint.load("images");
    }
    ReferenceOptions options;
    options.candidates = spec.bonCandidates;
    options.keep = spec.bonKeep;
    options.worst = spec.references == ReflReferences::Worst;
    options.sampling = {spec.bonSteps, Sampler::Euler, spec.guidance};
    options.seed = spec.seed * 1000003ull;
    const ReferenceSet set =
        selectReferences(sft, reward, prompts, options, [&](int done, int total) {
            if (done % 16 == 0 || done == total)
                sink.event({{"event", "references"}, {"done", done}, {"total", total}});
        });
    model::writeSafetensors(file, {{"images", set.images.contiguous()}}, {{"made_from", madeFrom}});
    return set.images;
}

} // namespace

ReflResult trainRefl(store::Workspace& ws, const ReflSpec& spec, std::ostream* events,
                     const ReflControl& control) {
    compute::ComputeContext ctx;
    ctx.threads = spec.threads;
    const int threads = compute::configureThreads(ctx);
    const fs::path out = spec.outFolder(ws.folder());
    const fs::path stateFolder = out / kStateFolder;
    jobs::OutFolderClaim claim(out, kStateFolder, kGeneratorWeightsFile, control.resume);
    const auto& saved = claim.saved();

    ImageReward reward = ImageReward::load(inWorkspace(ws, spec.rewardModel));
    TrainingState state;
    std::unique_ptr<TextToImage> gen =
        TextToImage::load(saved ? *saved / "model" : inWorkspace(ws, spec.generator), torch::kCPU);
    if (saved)
        state = readState(*saved, spec);
    FlowGenerator& net = gen->net();

    const std::vector<WorldPrompt> prompts =
        spreadOver(shapeWorldImagePrompts(ws, spec.split, spec.categories).prompts, spec.prompts);
    if (prompts.empty())
        throw Error(ErrorKind::InvalidArgument, ws.folder().string() +
                                                    ": no ShapeWorld image prompts in split '" +
                                                    spec.split + "' to fine-tune on");
    std::vector<std::string> texts;
    for (const WorldPrompt& p : prompts)
        texts.push_back(p.record.text);
    GenTrainSpec sftSpec;
    sftSpec.split = spec.split;
    sftSpec.categories = spec.categories;
    const SftData sftData(ws, sftSpec, gen->config().imageSize);

    if (!saved)
        state.runId = ws.runs().create("refl", toJson(spec).dump());
    // Marks the run running; held until this function returns, after its final status is set.
    const jobs::RunLease lease(ws, state.runId);
    claim.keep();
    jobs::EventSink sink(events, &ws, state.runId);
    sink.event({{"event", jobs::events::kStart},
                {"run_id", state.runId},
                {"kind", "refl"},
                {"generator_parameters", net->parameterCount()},
                {"reward_model", spec.rewardModel},
                {"reward_paradigm", reward.paradigm()},
                {"reward_parameters", reward.parameterCount()},
                {"prompts", prompts.size()},
                {"threads", threads},
                {"resumed_at_step", saved ? state.step : 0}});
    at::Tensor references;
    if (reward.needsReference()) {
        // The references come from the SFT generator, also when resuming (the file holds them).
        std::unique_ptr<TextToImage> sft =
            saved ? TextToImage::load(inWorkspace(ws, spec.generator), torch::kCPU) : nullptr;
        references = referencesFor(spec, out, sft ? *sft : *gen, reward, texts, sink);
    }

    torch::optim::AdamW optimizer(
        net->parameters(),
        torch::optim::AdamWOptions(spec.lr).weight_decay(spec.weightDecay).betas({0.9, 0.99}));
    if (saved)
        torch::load(optimizer, (*saved / kOptimizerFile).string());
    eval::RewardWindow window(static_cast<size_t>(spec.varianceWindow));
    for (const auto& iteration : state.window)
        window.add(iteration.get<std::vector<double>>());

    const std::vector<WorldPrompt> evalPrompts =
        spec.evalEvery > 0
            ? spreadOver(shapeWorldImagePrompts(ws, spec.evalSplit, {}).prompts, spec.evalPrompts)
            : std::vector<WorldPrompt>{};
    const reward::LrSchedule schedule{spec.lr, spec.warmupSteps, spec.steps, spec.minLrRatio};
    jobs::UnitStream promptStream(prompts.size(), spec.seed);
    jobs::UnitStream sftStream(sftData.units(), spec.seed + 1);
    const std::vector<double> grid = timeGrid(spec.samplingSteps);
    const jobs::RunBudget budget(spec.steps, spec.timeLimitSeconds, state.seconds,
                                 spec.checkpointEvery);
    jobs::StepEnd end;
    ReflResult result;
    result.runId = state.runId;
    result.resumed = saved.has_value();
    result.generator = out;
    try {
        while (budget.more(state.step)) {
            const auto stepStart = Clock::now();
            const double lr = budget.timed() ? schedule.atProgress(state.step, budget.progress())
                                             : schedule.at(state.step);
            for (auto& group : optimizer.param_groups())
                static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
            const auto step = static_cast<std::uint64_t>(state.step);

            // The batch's prompts, noise, and the step that gets gradients.
            std::vector<std::string> batchTexts;
            std::vector<std::uint64_t> seeds;
            std::vector<int64_t> referenceRows;
            for (int i = 0; i < spec.batch; ++i) {
                const std::uint64_t position = step * static_cast<std::uint64_t>(spec.batch) + i;
                const size_t p = promptStream.at(position);
                batchTexts.push_back(texts[p]);
                seeds.push_back(jobs::mixSeed(spec.seed ^ jobs::mixSeed(position)));
                referenceRows.push_back(static_cast<int64_t>(p) * spec.bonKeep +
                                        static_cast<int64_t>(seeds.back() % spec.bonKeep));
            }
            const int gradStep = spec.samplingSteps - spec.gradWindow +
                                 static_cast<int>(jobs::mixSeed(spec.seed * 31 + step) %
                                                  static_cast<std::uint64_t>(spec.gradWindow));
            const double t = grid[static_cast<size_t>(gradStep)];
            const at::Tensor tokens = gen->tokenize(batchTexts);
            at::Tensor x = gen->noiseFor(seeds);
            {
                torch::NoGradGuard noGrad;
                const VelocityFn velocity = guidedVelocity(net, tokens, spec.guidance);
                x = integrate(velocity, x,
                              std::vector<double>(grid.begin(), grid.begin() + gradStep + 1),
                              Sampler::Euler);
            }
            const VelocityFn velocity = guidedVelocity(net, tokens, spec.guidance);
            const at::Tensor clean =
                predictClean(x, t, velocity(x, torch::full({x.size(0)}, t))).clamp(-1.0, 1.0);
            const at::Tensor refs =
                references.defined()
                    ? references.flatten(0, 1).index_select(0, torch::tensor(referenceRows))
                    : at::Tensor();
            const at::Tensor rewards = reward.score(clean, batchTexts, refs);
            const at::Tensor reflLoss =
                spec.rewardScale * torch::relu(spec.margin - rewards).mean();

            // The SFT term keeps the images from degrading (ImageReward's users' finding).
            at::Tensor sftLoss = torch::zeros({});
            if (spec.sftWeight > 0) {
                std::vector<std::string> sftPrompts;
                std::vector<at::Tensor> images;
                for (int i = 0; i < spec.sftBatch; ++i) {
                    const std::uint64_t position =
                        step * static_cast<std::uint64_t>(spec.sftBatch) + i;
                    SftExample e = sftData.example(sftStream.at(position),
                                                   jobs::mixSeed(spec.seed + 17 * position));
                    sftPrompts.push_back(e.prompt);
                    images.push_back(e.image);
                }
                torch::manual_seed(jobs::mixSeed(spec.seed * 7919 + step));
                const at::Tensor x0 = torch::stack(images);
                const PromptEncoding encoded = net->encodePrompts(gen->tokenize(sftPrompts));
                sftLoss = flowMatchingLoss(
                    [&](const at::Tensor& xt, const at::Tensor& tt) {
                        return net->velocity(xt, tt, encoded);
                    },
                    x0, torch::randn_like(x0),
                    sampleTimes(x0.size(0), TimeSampling::LogitNormal, x0));
            }
            const at::Tensor loss = reflLoss + spec.sftWeight * sftLoss;
            optimizer.zero_grad();
            loss.backward();
            if (spec.clipNorm > 0)
                torch::nn::utils::clip_grad_norm_(net->parameters(), spec.clipNorm);
            optimizer.step();
            ++state.step;

            const at::Tensor r = rewards.detach().to(torch::kCPU, torch::kDouble);
            const std::vector<double> values(r.data_ptr<double>(),
                                             r.data_ptr<double>() + r.numel());
            window.add(values);
            const double lossValue = loss.item<double>();
            if (!std::isfinite(lossValue))
                throw Error(ErrorKind::Internal, "the loss became " + std::to_string(lossValue) +
                                                     " at step " + std::to_string(state.step) +
                                                     "; lower lr or raise clip_norm");
            const double rewardMean = r.mean().item<double>();
            const double rewardStd = r.numel() > 1 ? r.std().item<double>() : 0.0;
            const double stepSeconds =
                std::chrono::duration<double>(Clock::now() - stepStart).count();
            sink.metric(state.step, jobs::metrics::kReflRewardMean, rewardMean);
            sink.metric(state.step, jobs::metrics::kReflRewardStd, rewardStd);
            sink.metric(state.step, jobs::metrics::kReflRewardWindowVariance, window.variance());
            sink.metric(state.step, jobs::metrics::kReflLoss, reflLoss.item<double>());
            sink.metric(state.step, jobs::metrics::kReflSftLoss, sftLoss.item<double>());
            sink.metric(state.step, jobs::metrics::kTrainLoss, lossValue);
            sink.metric(state.step, jobs::metrics::kTrainLr, lr);
            state.seconds = budget.elapsed();
            end = budget.after(state.step, control.cancelled && control.cancelled(),
                               control.stopAfterStep);
            if (state.step % budget.logEvery() == 0 || end.last)
                sink.event({{"event", jobs::events::kProgress},
                            {"step", state.step},
                            {"steps", spec.steps},
                            {"fraction", budget.fraction(state.step)},
                            {"loss", lossValue},
                            {"reward_mean", rewardMean},
                            {"reward_std", rewardStd},
                            {"window_variance", window.variance()},
                            {"t", t},
                            {"lr", lr},
                            {"seconds_per_step", stepSeconds},
                            {"elapsed_s", state.seconds}});
            if (!evalPrompts.empty() && (state.step % spec.evalEvery == 0 || end.last)) {
                AlignmentOptions options;
                options.perPrompt = 2; // two per prompt: diversity as well as alignment
                options.sampling = {spec.evalSteps, Sampler::Euler, spec.evalGuidance};
                const AlignmentReport report = evaluateAlignment(*gen, evalPrompts, options);
                net->train();
                state.lastEvaluation = toJson(report);
                state.lastEvaluation["split"] = spec.evalSplit;
                sink.metric(state.step, jobs::metrics::kValAlignment, report.overall());
                if (report.diversityPrompts)
                    sink.metric(state.step, jobs::metrics::kValDiversity, report.diversity);
                for (const auto& [category, c] : report.categories)
                    sink.metric(state.step, jobs::metrics::kValAlignmentOf + category, c.rate());
                sink.event({{"event", jobs::events::kValidation},
                            {"step", state.step},
                            {"report", state.lastEvaluation}});
            }
            sink.flush();
            if (end.saveState) {
                state.window = nlohmann::json(window.contents());
                saveState(stateFolder, *gen, optimizer, state, spec);
            }
            if (end.stop)
                break;
        }
    } catch (...) {
        sink.flush();
        ws.runs().setStatus(state.runId, store::RunStatus::Failed);
        throw;
    }

    result.steps = state.step;
    result.seconds = state.seconds;
    result.stopReason = end.reason;
    result.windowVariance = window.variance();
    result.lastEvaluation = state.lastEvaluation;
    result.finished = jobs::isFinished(end.reason);
    if (result.finished) {
        gen->save(out, {{"step", std::to_string(state.step)}});
        registerGenerator(ws, spec.name, *gen, out);
    }
    jobs::endRun(ws, sink, state.runId, out, stateFolder, end.reason, state.step, state.seconds,
                 {{"window_variance", result.windowVariance},
                  {"last_evaluation", state.lastEvaluation},
                  {"spec", toJson(spec)}},
                 {{"window_variance", result.windowVariance},
                  {"generator", out.string()},
                  {"evaluation", state.lastEvaluation}});
    return result;
}

} // namespace rd::refl
