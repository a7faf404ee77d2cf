// The ReFL job spec's fields, declared once: parsing, toJson, `rdance fields refl`,
// docs/GENERATOR.md's table and the studio's form all read this list. No LibTorch here: the
// studio links it.
#include "diffusion/sample_eval_fields.h"
#include "jobs/spec_fields.h"
#include "refl/refl_spec.h"

namespace rd::refl {

namespace {

jobs::SpecFields<ReflSpec> declare() {
    return jobs::SpecFields<ReflSpec>()
        .path("generator", &ReflSpec::generator, {"SFT generator", "the SFT generator folder"})
        .required()
        .path("reward_model", &ReflSpec::rewardModel,
              {"Reward model", "the RM folder (any paradigm)"})
        .required()
        .outFolder(
            "out", &ReflSpec::out,
            {"Output folder", "the fine-tuned generator's folder, inside the workspace like SFT's"})
        .required()
        .text("name", &ReflSpec::name, {"Name", "the name in the models table and of its samples"})
        .defaultNote("`out`'s name")
        .text("split", &ReflSpec::split, {"Split", "the prompts fine-tuned on"})
        .words("categories", &ReflSpec::categories,
               {"Prompt categories (empty: all)",
                "prompt categories to keep; empty: all image categories"})
        .integer("prompts", &ReflSpec::prompts, {0.0},
                 {"Prompts (0: all)", "a fixed subset spread over them; 0: all"})
        .choice("references", &ReflSpec::references, kReflReferencesNames,
                {"Best-of-N references",
                 "pairwise RMs: top-k (`\"best\"`) or bottom-k (`\"worst\"`) of Best-of-N"})
        .integer("bon_candidates", &ReflSpec::bonCandidates, {2.0, 64.0},
                 {"Best-of-N candidates", "N"})
        .integer("bon_keep", &ReflSpec::bonKeep, {1.0, 64.0},
                 {"Best-of-N kept", "k (a step picks one of the k at random)"})
        .integer("bon_steps", &ReflSpec::bonSteps, {1.0, 1000.0},
                 {"Best-of-N sampling steps", "Euler steps for the N samples"})
        .integer("sampling_steps", &ReflSpec::samplingSteps, {1.0, 1000.0},
                 {"Sampling steps", "the ODE grid of a ReFL step"})
        .integer("grad_window", &ReflSpec::gradWindow, {1.0, 1000.0},
                 {"Gradient window (last steps)", "the gradient step is one of the last this many"})
        .real("guidance", &ReflSpec::guidance, {0.0, 100.0},
              {"Guidance", "classifier-free guidance while sampling"})
        .real("margin", &ReflSpec::margin, {}, {"Reward margin", "in `relu(margin - reward)`"})
        .real("reward_scale", &ReflSpec::rewardScale, {0.0, 1e6, true},
              {"Reward weight",
               "the weight of the reward term, `reward_scale` x `relu(margin - reward)`"})
        .real("sft_weight", &ReflSpec::sftWeight, {0.0, 1e6}, {"SFT loss weight", "0: ReFL alone"})
        .integer("sft_batch", &ReflSpec::sftBatch, {1.0, 4096.0},
                 {"SFT batch (renders)", "renders per step for the SFT term"})
        .integer("steps", &ReflSpec::steps, {0.0},
                 {"Steps (0: time budget)",
                  "optimizer steps; 0: until `time_limit_s`, the cosine spread over the budget"})
        .integer("batch", &ReflSpec::batch, {1.0, 4096.0}, {"Batch (prompts)", "prompts per step"})
        .adamW()
        .seed("seed", &ReflSpec::seed,
              {"Seed", "the prompt order and the sampling noise are drawn from it"})
        .threads()
        .integer("variance_window", &ReflSpec::varianceWindow, {1.0, 1e7},
                 {"Reward variance window",
                  "iterations in the reward-variance window (the paper: 1,000)"})
        .with(diffusion::sampleEvaluationFields<ReflSpec>)
        .integer("checkpoint_every", &ReflSpec::checkpointEvery, {0.0},
                 {"Save the resumable state every",
                  "the resumable state (weights, optimizer, step) is replaced crash-safely"})
        .real("time_limit_s", &ReflSpec::timeLimitSeconds, {0.0}, {"Time budget (s)", "0: none"});
}

} // namespace

const jobs::SpecFields<ReflSpec>& reflFields() {
    static const jobs::SpecFields<ReflSpec> fields = declare();
    return fields;
}

nlohmann::json toJson(const ReflSpec& spec) {
    return reflFields().toJson(spec);
}

} // namespace rd::refl
