#include "diffusion/sample_evaluation.h"

#include "diffusion/alignment_eval.h"
#include "jobs/event_sink.h"
#include "jobs/job_names.h"

namespace rd::diffusion {

SampleEvaluation::SampleEvaluation(store::Workspace& ws, bool enabled, const std::string& split,
                                   int prompts, int steps, double guidance, int samplesPerPrompt)
    : m_split(split), m_steps(steps), m_samplesPerPrompt(samplesPerPrompt), m_guidance(guidance) {
    if (enabled)
        m_prompts = spreadOver(shapeWorldImagePrompts(ws, split, {}).prompts, prompts);
}

nlohmann::json SampleEvaluation::run(TextToImage& generator, jobs::EventSink& sink,
                                     std::int64_t step) const {
    AlignmentOptions options;
    options.perPrompt = m_samplesPerPrompt;
    options.sampling = {m_steps, Sampler::Euler, m_guidance};
    const AlignmentReport report = evaluateAlignment(generator, m_prompts, options);
    sink.metric(step, jobs::metrics::kValAlignment, report.overall());
    if (report.diversityPrompts)
        sink.metric(step, jobs::metrics::kValDiversity, report.diversity);
    for (const auto& [category, c] : report.categories)
        sink.metric(step, jobs::metrics::kValAlignmentOf + category, c.rate());
    nlohmann::json j = toJson(report);
    j["split"] = m_split;
    return j;
}

} // namespace rd::diffusion
