#include "diffusion/gen_trainer.h"

#include "diffusion/generator_checkpoint.h"
#include "diffusion/prompt_tokenizer.h"
#include "diffusion/sample_evaluation.h"
#include "diffusion/sft_data.h"
#include "diffusion/sft_step.h"
#include "diffusion/text_to_image.h"
#include "jobs/event_sink.h"
#include "jobs/job_names.h"
#include "jobs/unit_stream.h"
#include "store/model_repository.h"
#include "store/workspace.h"
#include "training/training_run.h"

#include <torch/torch.h>

namespace rd::diffusion {
namespace fs = std::filesystem;

void registerGenerator(store::Workspace& ws, const std::string& name, TextToImage& generator,
                       const fs::path& folder) {
    store::ModelRecord record;
    record.name = name;
    record.arch = "flow-dit";
    record.paramCount = generator.net()->parameterCount();
    record.path = fs::absolute(folder).lexically_normal().string();
    ws.models().upsert(record);
}

namespace {

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

fs::path inWorkspace(store::Workspace& ws, const std::string& path) {
    return fs::path(path).is_absolute() ? fs::path(path) : ws.folder() / path;
}

// The generator's part of a run: a flow-matching step on SFT examples (prompts dropped for
// classifier-free guidance), the EMA, and the oracle's alignment of samples as validation.
class GenTraining : public training::Trainer {
public:
    GenTraining(store::Workspace& ws, const GenTrainSpec& spec, training::TrainingRun& run)
        : m_ws(ws), m_spec(spec), m_run(run),
          m_config(spec.init.empty() ? generatorPreset(spec.preset)
                                     : readGeneratorConfig(inWorkspace(ws, spec.init))),
          m_data(ws, spec, m_config.imageSize), m_stream(m_data.units(), spec.seed),
          m_evaluation(SampleEvaluation::of(ws, spec, 1)) {
        const auto& saved = run.saved();
        if (saved) {
            m_lastEvaluation = run.savedFields().at("last_evaluation");
            m_gen = TextToImage::load(*saved / "model", torch::kCPU);
        } else if (!spec.init.empty()) {
            m_gen = TextToImage::load(inWorkspace(ws, spec.init), torch::kCPU);
        } else {
            torch::manual_seed(spec.seed);
            trainPromptTokenizer(m_data.prompts(), spec.tokenizerVocab,
                                 run.out() / kGeneratorTokenizerFile);
            m_gen = TextToImage::create(m_config, run.out() / kGeneratorTokenizerFile, torch::kCPU);
        }
        if (spec.emaDecay > 0) {
            m_ema = saved
                        ? TextToImage::load(*saved / "ema", torch::kCPU)
                        : TextToImage::create(m_gen->config(), m_gen->tokenizerFile(), torch::kCPU);
            if (!saved)
                copyWeights(m_gen->net(), m_ema->net());
            m_ema->net()->eval();
        }
        m_gen->net()->train();
    }

    std::vector<at::Tensor> parameters() override { return m_gen->net()->parameters(); }

    nlohmann::json startFields() override {
        return {{"parameters", m_gen->net()->parameterCount()}, {"data", m_data.describe()}};
    }

    training::StepFigures step(std::int64_t step) override {
        const at::Tensor loss =
            sftBatchLoss(*m_gen, m_data, m_stream, static_cast<std::uint64_t>(step),
                         {m_spec.batch, m_spec.seed, m_spec.cfgDropout, m_spec.timeSampling});
        loss.backward();
        training::StepFigures figures;
        figures.loss = loss.item<double>();
        figures.examples = m_spec.batch;
        return figures;
    }

    void updated(std::int64_t step) override {
        if (m_ema)
            updateEma(m_gen->net(), m_ema->net(), m_spec.emaDecay, step);
    }

    bool validates() const override { return m_evaluation.enabled(); }

    training::Validation validate(std::int64_t step, jobs::EventSink& sink) override {
        m_lastEvaluation = m_evaluation.run(evaluated(), sink, step);
        m_gen->net()->train();
        return {m_lastEvaluation, false};
    }

    void saveState(const fs::path& folder, nlohmann::json& fields) override {
        m_gen->save(folder / "model");
        if (m_ema)
            m_ema->save(folder / "ema");
        fields["last_evaluation"] = m_lastEvaluation;
    }

    void finish(bool finished, std::int64_t steps) override {
        if (!finished)
            return;
        evaluated().save(m_run.out(), {{"step", std::to_string(steps)}});
        registerGenerator(m_ws, m_spec.name, evaluated(), m_run.out());
    }

    nlohmann::json summary() const override { return {{"last_evaluation", m_lastEvaluation}}; }
    nlohmann::json doneFields() const override {
        return {{"generator", m_run.out().string()}, {"evaluation", m_lastEvaluation}};
    }

    GenTrainResult result(const jobs::RunOutcome& outcome) const {
        GenTrainResult r;
        static_cast<jobs::RunOutcome&>(r) = outcome;
        r.generator = m_run.out();
        r.lastEvaluation = m_lastEvaluation;
        return r;
    }

private:
    TextToImage& evaluated() { return m_ema ? *m_ema : *m_gen; } // what is evaluated and saved

    store::Workspace& m_ws;
    const GenTrainSpec& m_spec;
    training::TrainingRun& m_run;
    GeneratorConfig m_config;
    SftData m_data;
    jobs::UnitStream m_stream;
    std::unique_ptr<TextToImage> m_gen, m_ema;
    const SampleEvaluation m_evaluation;
    nlohmann::json m_lastEvaluation;
};

} // namespace

GenTrainResult trainGenerator(store::Workspace& ws, const GenTrainSpec& spec, std::ostream* events,
                              const GenTrainControl& control) {
    training::RunSettings settings = training::runSettingsOf(
        spec, "gen_train", spec.outFolder(ws.folder()), kGeneratorWeightsFile, toJson(spec));
    settings.beta2 = 0.99; // AdamW betas (0.9, 0.99), the usual for diffusion models
    return training::runTrainer<GenTraining>(ws, spec, settings, events, control);
}

} // namespace rd::diffusion
