#include "diffusion/gen_trainer.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "compute/compute_context.h"
#include "diffusion/alignment_eval.h"
#include "diffusion/flow_matching.h"
#include "diffusion/generator_checkpoint.h"
#include "diffusion/prompt_tokenizer.h"
#include "diffusion/sft_data.h"
#include "diffusion/text_to_image.h"
#include "jobs/event_sink.h"
#include "jobs/job_names.h"
#include "jobs/run_budget.h"
#include "jobs/run_lease.h"
#include "jobs/state_folder.h"
#include "jobs/unit_stream.h"
#include "reward/lr_schedule.h"
#include "store/model_repository.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "text/json_file.h"

#include <torch/torch.h>

#include <chrono>

namespace rd::diffusion {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kStateFolder = "train_state";
constexpr const char* kStateFile = "state.json";
constexpr const char* kOptimizerFile = "optimizer.pt";

void copyWeights(FlowGenerator& from, FlowGenerator& to) {
    torch::NoGradGuard noGrad;
    auto source = from->named_parameters();
    for (auto& p : to->named_parameters())
        p.value().copy_(source[p.key()]);
}

// EMA with the usual warm-up, so the average is not anchored to the random initialisation.
void updateEma(FlowGenerator& net, FlowGenerator& ema, double decay, std::int64_t step) {
    const double d = std::min(decay, (1.0 + step) / (10.0 + step));
    torch::NoGradGuard noGrad;
    auto source = net->named_parameters();
    for (auto& p : ema->named_parameters())
        p.value().mul_(d).add_(source[p.key()], 1.0 - d);
}

struct TrainingState {
    std::int64_t step = 0;
    double seconds = 0.0;
    store::RowId runId = 0;
    nlohmann::json lastEvaluation;
};

void saveState(const fs::path& folder, TextToImage& gen, TextToImage* ema,
               torch::optim::AdamW& optimizer, const TrainingState& s, const GenTrainSpec& spec) {
    jobs::StateFolder(folder).replace([&](const fs::path& tmp) {
        gen.save(tmp / "model");
        if (ema)
            ema->save(tmp / "ema");
        torch::save(optimizer, (tmp / kOptimizerFile).string());
        const nlohmann::json j = {{"step", s.step},
                                  {"seconds", s.seconds},
                                  {"run_id", s.runId},
                                  {"last_evaluation", s.lastEvaluation},
                                  {"spec", toJson(spec)}};
        writeFileAtomically(tmp / kStateFile, [&](std::ostream& o) { o << j.dump(2); });
    });
}

TrainingState readState(const fs::path& folder, const GenTrainSpec& spec) {
    const nlohmann::json j = jobs::readSavedState(folder / kStateFile, toJson(spec));
    TrainingState s;
    s.step = j.at("step").get<std::int64_t>();
    s.seconds = j.at("seconds").get<double>();
    s.runId = j.at("run_id").get<store::RowId>();
    s.lastEvaluation = j.at("last_evaluation");
    return s;
}

fs::path inWorkspace(store::Workspace& ws, const std::string& path) {
    return fs::path(path).is_absolute() ? fs::path(path) : ws.folder() / path;
}

} // namespace

void registerGenerator(store::Workspace& ws, const std::string& name, TextToImage& generator,
                       const fs::path& folder) {
    store::ModelRecord record;
    record.name = name;
    record.arch = "flow-dit";
    record.paramCount = generator.net()->parameterCount();
    record.path = fs::absolute(folder).lexically_normal().string();
    ws.models().upsert(record);
}

GenTrainResult trainGenerator(store::Workspace& ws, const GenTrainSpec& spec, std::ostream* events,
                              const GenTrainControl& control) {
    compute::ComputeContext ctx;
    ctx.threads = spec.threads;
    const int threads = compute::configureThreads(ctx);
    const fs::path out = spec.outFolder(ws.folder());
    const fs::path stateFolder = out / kStateFolder;
    jobs::OutFolderClaim claim(out, kStateFolder, kGeneratorWeightsFile, control.resume);
    const auto& saved = claim.saved();

    TrainingState state;
    std::unique_ptr<TextToImage> gen;
    const GeneratorConfig config = spec.init.empty()
                                       ? generatorPreset(spec.preset)
                                       : readGeneratorConfig(inWorkspace(ws, spec.init));
    SftData data(ws, spec, config.imageSize);
    if (saved) {
        state = readState(*saved, spec);
        gen = TextToImage::load(*saved / "model", torch::kCPU);
    } else if (!spec.init.empty()) {
        gen = TextToImage::load(inWorkspace(ws, spec.init), torch::kCPU);
    } else {
        torch::manual_seed(spec.seed);
        trainPromptTokenizer(data.prompts(), spec.tokenizerVocab, out / kGeneratorTokenizerFile);
        gen = TextToImage::create(config, out / kGeneratorTokenizerFile, torch::kCPU);
    }
    std::unique_ptr<TextToImage> ema;
    if (spec.emaDecay > 0) {
        ema = saved ? TextToImage::load(*saved / "ema", torch::kCPU)
                    : TextToImage::create(gen->config(), gen->tokenizerFile(), torch::kCPU);
        if (!saved)
            copyWeights(gen->net(), ema->net());
        ema->net()->eval();
    }
    TextToImage& model = ema ? *ema : *gen; // what is evaluated and saved
    FlowGenerator& net = gen->net();
    net->train();

    torch::optim::AdamW optimizer(
        net->parameters(),
        torch::optim::AdamWOptions(spec.lr).weight_decay(spec.weightDecay).betas({0.9, 0.99}));
    if (saved)
        torch::load(optimizer, (*saved / kOptimizerFile).string());
    if (!saved)
        state.runId = ws.runs().create("gen_train", toJson(spec).dump());
    // Marks the run running; held until this function returns, after its final status is set.
    const jobs::RunLease lease(ws, state.runId);
    claim.keep();
    jobs::EventSink sink(events, &ws, state.runId);
    sink.event({{"event", jobs::events::kStart},
                {"run_id", state.runId},
                {"kind", "gen_train"},
                {"parameters", net->parameterCount()},
                {"threads", threads},
                {"resumed_at_step", saved ? state.step : 0},
                {"data", data.describe()}});

    const std::vector<WorldPrompt> evalPrompts =
        spec.evalEvery > 0
            ? spreadOver(shapeWorldImagePrompts(ws, spec.evalSplit, {}).prompts, spec.evalPrompts)
            : std::vector<WorldPrompt>{};
    const reward::LrSchedule schedule{spec.lr, spec.warmupSteps, spec.steps, spec.minLrRatio};
    const TimeSampling timeSampling = spec.timeSampling;
    jobs::UnitStream stream(data.units(), spec.seed);
    const jobs::RunBudget budget(spec.steps, spec.timeLimitSeconds, state.seconds,
                                 spec.checkpointEvery);
    jobs::StepEnd end;
    GenTrainResult result;
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

            std::vector<std::string> prompts;
            std::vector<at::Tensor> images;
            for (int i = 0; i < spec.batch; ++i) {
                const std::uint64_t position = static_cast<std::uint64_t>(state.step) *
                                                   static_cast<std::uint64_t>(spec.batch) +
                                               i;
                const std::uint64_t draw = jobs::mixSeed(spec.seed ^ jobs::mixSeed(position));
                SftExample example = data.example(stream.at(position), draw);
                // Classifier-free guidance learns the unconditional velocity from dropped prompts.
                const bool dropped = jobs::unitInterval(draw) < spec.cfgDropout;
                prompts.push_back(dropped ? std::string() : example.prompt);
                images.push_back(example.image);
            }
            torch::manual_seed(
                jobs::mixSeed(spec.seed * 7919 + static_cast<std::uint64_t>(state.step)));
            const at::Tensor x0 = torch::stack(images);
            const at::Tensor noise = torch::randn_like(x0);
            const at::Tensor t = sampleTimes(x0.size(0), timeSampling, x0);
            const PromptEncoding prompt = net->encodePrompts(gen->tokenize(prompts));
            const at::Tensor loss =
                flowMatchingLoss([&](const at::Tensor& x,
                                     const at::Tensor& tt) { return net->velocity(x, tt, prompt); },
                                 x0, noise, t);
            optimizer.zero_grad();
            loss.backward();
            if (spec.clipNorm > 0)
                torch::nn::utils::clip_grad_norm_(net->parameters(), spec.clipNorm);
            optimizer.step();
            if (ema)
                updateEma(net, ema->net(), spec.emaDecay, state.step);
            ++state.step;

            const double lossValue = loss.item<double>();
            if (!std::isfinite(lossValue))
                throw Error(ErrorKind::Internal, "the loss became " + std::to_string(lossValue) +
                                                     " at step " + std::to_string(state.step) +
                                                     "; lower lr or raise clip_norm");
            const double stepSeconds =
                std::chrono::duration<double>(Clock::now() - stepStart).count();
            sink.metric(state.step, jobs::metrics::kTrainLoss, lossValue);
            sink.metric(state.step, jobs::metrics::kTrainLr, lr);
            sink.metric(state.step, jobs::metrics::kTrainExamplesPerSecond,
                        spec.batch / stepSeconds);
            state.seconds = budget.elapsed();
            end = budget.after(state.step, control.cancelled && control.cancelled(),
                               control.stopAfterStep);
            if (state.step % budget.logEvery() == 0 || end.last)
                sink.event({{"event", jobs::events::kProgress},
                            {"step", state.step},
                            {"steps", spec.steps},
                            {"fraction", budget.fraction(state.step)},
                            {"loss", lossValue},
                            {"lr", lr},
                            {"examples_per_s", spec.batch / stepSeconds},
                            {"elapsed_s", state.seconds}});
            if (!evalPrompts.empty() && (state.step % spec.evalEvery == 0 || end.last)) {
                AlignmentOptions options;
                options.perPrompt = 1;
                options.sampling = {spec.evalSteps, Sampler::Euler, spec.evalGuidance};
                const AlignmentReport report = evaluateAlignment(model, evalPrompts, options);
                net->train();
                state.lastEvaluation = toJson(report);
                state.lastEvaluation["split"] = spec.evalSplit;
                sink.metric(state.step, jobs::metrics::kValAlignment, report.overall());
                for (const auto& [category, c] : report.categories)
                    sink.metric(state.step, jobs::metrics::kValAlignmentOf + category, c.rate());
                sink.event({{"event", jobs::events::kValidation},
                            {"step", state.step},
                            {"report", state.lastEvaluation}});
            }
            sink.flush();
            if (end.saveState)
                saveState(stateFolder, *gen, ema.get(), optimizer, state, spec);
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
    result.lastEvaluation = state.lastEvaluation;
    result.finished = jobs::isFinished(end.reason);
    if (result.finished) {
        model.save(out, {{"step", std::to_string(state.step)}});
        registerGenerator(ws, spec.name, model, out);
    }
    jobs::endRun(ws, sink, state.runId, out, stateFolder, end.reason, state.step, state.seconds,
                 {{"last_evaluation", state.lastEvaluation}, {"spec", toJson(spec)}},
                 {{"generator", out.string()}, {"evaluation", state.lastEvaluation}});
    return result;
}

} // namespace rd::diffusion
