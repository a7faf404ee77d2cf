#include "refl/refl_trainer.h"

#include "common/error.h"
#include "diffusion/flow_matching.h"
#include "diffusion/gen_trainer.h"
#include "diffusion/generator_checkpoint.h"
#include "diffusion/sample_evaluation.h"
#include "diffusion/sft_data.h"
#include "diffusion/sft_step.h"
#include "diffusion/shapeworld_prompts.h"
#include "diffusion/text_to_image.h"
#include "eval/reward_window.h"
#include "jobs/event_sink.h"
#include "jobs/job_names.h"
#include "jobs/unit_stream.h"
#include "refl/image_reward.h"
#include "refl/stored_references.h"
#include "store/workspace.h"
#include "training/training_run.h"

#include <torch/torch.h>

namespace rd::refl {
namespace fs = std::filesystem;
using namespace rd::diffusion;

namespace {

fs::path inWorkspace(store::Workspace& ws, const std::string& path) {
    return fs::path(path).is_absolute() ? fs::path(path) : ws.folder() / path;
}

// The ReFL part of a run (paper §3.3): samples drawn without gradients to a step in the last
// grad_window of the schedule, one step with gradients to the clean estimate, the RM's reward
// against a hinge, plus an SFT term; the reward window's variance is kept across sessions.
class ReflTraining : public training::Trainer {
public:
    ReflTraining(store::Workspace& ws, const ReflSpec& spec, training::TrainingRun& run)
        : m_ws(ws), m_spec(spec), m_run(run),
          m_reward(ImageReward::load(inWorkspace(ws, spec.rewardModel))),
          m_gen(TextToImage::load(
              run.saved() ? *run.saved() / "model" : inWorkspace(ws, spec.generator), torch::kCPU)),
          m_prompts(spreadOver(shapeWorldImagePrompts(ws, spec.split, spec.categories).prompts,
                               spec.prompts)),
          m_sftData(ws, sftSpecOf(spec), m_gen->config().imageSize),
          m_window(static_cast<size_t>(spec.varianceWindow)),
          m_promptStream(m_prompts.size(), spec.seed),
          m_sftStream(m_sftData.units(), spec.seed + 1), m_grid(timeGrid(spec.samplingSteps)),
          m_evaluation(SampleEvaluation::of(ws, spec, 2)) { // two a prompt: diversity too
        if (m_prompts.empty())
            throw Error(ErrorKind::InvalidArgument, ws.folder().string() +
                                                        ": no ShapeWorld image prompts in split '" +
                                                        spec.split + "' to fine-tune on");
        for (const WorldPrompt& p : m_prompts)
            m_texts.push_back(p.record.text);
        if (run.saved()) {
            m_lastEvaluation = run.savedFields().at("last_evaluation");
            for (const auto& iteration : run.savedFields().at("window"))
                m_window.add(iteration.get<std::vector<double>>());
        }
    }

    std::vector<at::Tensor> parameters() override { return m_gen->net()->parameters(); }

    nlohmann::json startFields() override {
        return {{"generator_parameters", m_gen->net()->parameterCount()},
                {"reward_model", m_spec.rewardModel},
                {"reward_paradigm", m_reward.paradigm()},
                {"reward_parameters", m_reward.parameterCount()},
                {"prompts", m_prompts.size()}};
    }

    void started(jobs::EventSink& sink) override {
        if (!m_reward.needsReference())
            return;
        // The references come from the SFT generator, also when resuming (the file holds them).
        std::unique_ptr<TextToImage> sft =
            m_run.saved() ? TextToImage::load(inWorkspace(m_ws, m_spec.generator), torch::kCPU)
                          : nullptr;
        m_references =
            storedReferences(m_spec, m_run.out(), sft ? *sft : *m_gen, m_reward, m_texts, sink);
    }

    training::StepFigures step(std::int64_t stepIndex) override {
        FlowGenerator& net = m_gen->net();
        const auto step = static_cast<std::uint64_t>(stepIndex);
        // The batch's prompts, noise, and the step that gets gradients.
        std::vector<std::string> batchTexts;
        std::vector<std::uint64_t> seeds;
        std::vector<int64_t> referenceRows;
        for (int i = 0; i < m_spec.batch; ++i) {
            const std::uint64_t position = step * static_cast<std::uint64_t>(m_spec.batch) + i;
            const size_t p = m_promptStream.at(position);
            batchTexts.push_back(m_texts[p]);
            seeds.push_back(jobs::mixSeed(m_spec.seed ^ jobs::mixSeed(position)));
            referenceRows.push_back(static_cast<int64_t>(p) * m_spec.bonKeep +
                                    static_cast<int64_t>(seeds.back() % m_spec.bonKeep));
        }
        const int gradStep = m_spec.samplingSteps - m_spec.gradWindow +
                             static_cast<int>(jobs::mixSeed(m_spec.seed * 31 + step) %
                                              static_cast<std::uint64_t>(m_spec.gradWindow));
        const double t = m_grid[static_cast<size_t>(gradStep)];
        const at::Tensor tokens = m_gen->tokenize(batchTexts);
        at::Tensor x = m_gen->noiseFor(seeds);
        {
            torch::NoGradGuard noGrad;
            const VelocityFn velocity = guidedVelocity(net, tokens, m_spec.guidance);
            x = integrate(velocity, x,
                          std::vector<double>(m_grid.begin(), m_grid.begin() + gradStep + 1),
                          Sampler::Euler);
        }
        const VelocityFn velocity = guidedVelocity(net, tokens, m_spec.guidance);
        const at::Tensor clean =
            predictClean(x, t, velocity(x, torch::full({x.size(0)}, t))).clamp(-1.0, 1.0);
        const at::Tensor refs =
            m_references.defined()
                ? m_references.flatten(0, 1).index_select(0, torch::tensor(referenceRows))
                : at::Tensor();
        const at::Tensor rewards = m_reward.score(clean, batchTexts, refs);
        const at::Tensor reflLoss =
            m_spec.rewardScale * torch::relu(m_spec.margin - rewards).mean();
        // The SFT term keeps the images from degrading (ImageReward's users' finding).
        const at::Tensor sftLoss =
            m_spec.sftWeight > 0
                ? sftBatchLoss(*m_gen, m_sftData, m_sftStream, step,
                               {m_spec.sftBatch, m_spec.seed + 1, 0.0, TimeSampling::LogitNormal})
                : torch::zeros({});
        const at::Tensor loss = reflLoss + m_spec.sftWeight * sftLoss;
        loss.backward();

        const at::Tensor r = rewards.detach().to(torch::kCPU, torch::kDouble);
        m_window.add(std::vector<double>(r.data_ptr<double>(), r.data_ptr<double>() + r.numel()));
        const double rewardMean = r.mean().item<double>();
        const double rewardStd = r.numel() > 1 ? r.std().item<double>() : 0.0;
        training::StepFigures figures;
        figures.loss = loss.item<double>();
        figures.metrics = {{jobs::metrics::kReflRewardMean, rewardMean},
                           {jobs::metrics::kReflRewardStd, rewardStd},
                           {jobs::metrics::kReflRewardWindowVariance, m_window.variance()},
                           {jobs::metrics::kReflLoss, reflLoss.item<double>()},
                           {jobs::metrics::kReflSftLoss, sftLoss.item<double>()}};
        figures.progress = {{"reward_mean", rewardMean},
                            {"reward_std", rewardStd},
                            {"window_variance", m_window.variance()},
                            {"t", t}};
        return figures;
    }

    bool validates() const override { return m_evaluation.enabled(); }

    training::Validation validate(std::int64_t step, jobs::EventSink& sink) override {
        m_lastEvaluation = m_evaluation.run(*m_gen, sink, step);
        m_gen->net()->train();
        return {m_lastEvaluation, false};
    }

    void saveState(const fs::path& folder, nlohmann::json& fields) override {
        m_gen->save(folder / "model");
        fields["window"] = nlohmann::json(m_window.contents());
        fields["last_evaluation"] = m_lastEvaluation;
    }

    void finish(bool finished, std::int64_t steps) override {
        if (!finished)
            return;
        m_gen->save(m_run.out(), {{"step", std::to_string(steps)}});
        registerGenerator(m_ws, m_spec.name, *m_gen, m_run.out());
    }

    nlohmann::json summary() const override {
        return {{"window_variance", m_window.variance()}, {"last_evaluation", m_lastEvaluation}};
    }
    nlohmann::json doneFields() const override {
        return {{"window_variance", m_window.variance()},
                {"generator", m_run.out().string()},
                {"evaluation", m_lastEvaluation}};
    }

    ReflResult result(const jobs::RunOutcome& outcome) const {
        ReflResult r;
        static_cast<jobs::RunOutcome&>(r) = outcome;
        r.generator = m_run.out();
        r.windowVariance = m_window.variance();
        r.lastEvaluation = m_lastEvaluation;
        return r;
    }

private:
    static GenTrainSpec sftSpecOf(const ReflSpec& spec) {
        GenTrainSpec sft;
        sft.split = spec.split;
        sft.categories = spec.categories;
        return sft;
    }

    store::Workspace& m_ws;
    const ReflSpec& m_spec;
    training::TrainingRun& m_run;
    ImageReward m_reward;
    std::unique_ptr<TextToImage> m_gen;
    std::vector<WorldPrompt> m_prompts;
    std::vector<std::string> m_texts;
    SftData m_sftData;
    eval::RewardWindow m_window;
    jobs::UnitStream m_promptStream, m_sftStream;
    std::vector<double> m_grid;
    const SampleEvaluation m_evaluation;
    at::Tensor m_references;
    nlohmann::json m_lastEvaluation;
};

} // namespace

ReflResult trainRefl(store::Workspace& ws, const ReflSpec& spec, std::ostream* events,
                     const ReflControl& control) {
    training::RunSettings settings = training::runSettingsOf(
        spec, "refl", spec.outFolder(ws.folder()), kGeneratorWeightsFile, toJson(spec));
    settings.beta2 = 0.99; // the generator's AdamW betas, as in SFT
    return training::runTrainer<ReflTraining>(ws, spec, settings, events, control);
}

} // namespace rd::refl
