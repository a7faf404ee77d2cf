// The evaluation a generator run makes every eval_every steps (SFT and ReFL; their fields are
// declared once in sample_eval_fields.h): samples for eval_prompts prompts spread over
// eval_split, judged by the ShapeWorld oracle; the alignment (overall and per category) and, with
// several samples per prompt, the diversity go to the run's metrics.
//
// Usage (the trainers):
//   const SampleEvaluation evaluation = SampleEvaluation::of(ws, spec, samplesPerPrompt);
//   if (evaluation.enabled()) report = evaluation.run(model, sink, step);
#pragma once

#include "diffusion/shapeworld_prompts.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace rd::jobs {
class EventSink;
}
namespace rd::store {
class Workspace;
}

namespace rd::diffusion {

class TextToImage;

class SampleEvaluation {
public:
    // A spec with evalEvery, evalSplit, evalPrompts, evalSteps and evalGuidance; nothing is
    // evaluated when evalEvery is 0.
    template <class Spec>
    static SampleEvaluation of(store::Workspace& ws, const Spec& spec, int samplesPerPrompt) {
        return SampleEvaluation(ws, spec.evalEvery > 0, spec.evalSplit, spec.evalPrompts,
                                spec.evalSteps, spec.evalGuidance, samplesPerPrompt);
    }

    bool enabled() const { return !m_prompts.empty(); }
    // Samples with `generator` and judges them; stores the metrics at `step`; returns the
    // alignment report with its split. Leaves the generator in evaluation mode.
    nlohmann::json run(TextToImage& generator, jobs::EventSink& sink, std::int64_t step) const;

private:
    SampleEvaluation(store::Workspace& ws, bool enabled, const std::string& split, int prompts,
                     int steps, double guidance, int samplesPerPrompt);

    std::string m_split;
    std::vector<WorldPrompt> m_prompts;
    int m_steps, m_samplesPerPrompt;
    double m_guidance;
};

} // namespace rd::diffusion
