// The fields of a generator's evaluation while it trains, declared once for the SFT and ReFL specs
// (both have evalEvery, evalSplit, evalPrompts, evalSteps, evalGuidance): every eval_every steps,
// samples for eval_prompts prompts of eval_split, judged by the oracle.
//
// Usage: SpecFields<GenTrainSpec>()....with(sampleEvaluationFields<GenTrainSpec>)...
#pragma once

#include "jobs/spec_fields.h"

namespace rd::diffusion {

template <class Spec> void sampleEvaluationFields(jobs::SpecFields<Spec>& fields) {
    fields
        .integer("eval_every", &Spec::evalEvery, {0.0},
                 {"Evaluate every",
                  "oracle alignment of samples for `eval_prompts` prompts of `eval_split` "
                  "(metric `val/alignment` and per category; ReFL also `val/diversity`); 0: never"})
        .text("eval_split", &Spec::evalSplit,
              {"Evaluation split", "the split whose prompts are sampled for evaluation"})
        .integer("eval_prompts", &Spec::evalPrompts, {1.0, 100000.0},
                 {"Evaluation prompts", "spread evenly over the split"})
        .integer("eval_steps", &Spec::evalSteps, {1.0, 1000.0},
                 {"Evaluation sampling steps", "Euler steps for the evaluation samples"})
        .real("eval_guidance", &Spec::evalGuidance, {0.0, 100.0},
              {"Evaluation guidance", "classifier-free guidance of the evaluation samples"});
}

} // namespace rd::diffusion
