// The generator SFT job spec's fields, declared once: parsing, toJson, `rdance fields gen-train`,
// docs/GENERATOR.md's table and the studio's form all read this list. No LibTorch here: the
// studio links it.
#include "diffusion/gen_train_spec.h"
#include "diffusion/sample_eval_fields.h"
#include "jobs/spec_fields.h"

namespace rd::diffusion {

namespace {

// What the studio's form offers; `preset` takes any name generatorPreset knows.
const std::vector<std::string> kGenPresets = {"gen-xs", "gen-s", "gen-m"};

jobs::SpecFields<GenTrainSpec> declare() {
    return jobs::SpecFields<GenTrainSpec>()
        .text("preset", &GenTrainSpec::preset,
              {"Preset", "a fresh generator of this size, unless `init` is set"}, kGenPresets)
        .path("init", &GenTrainSpec::init,
              {"Continue from generator",
               "a generator folder to continue from (its tokenizer comes along)"})
        .outFolder(
            "out", &GenTrainSpec::out,
            {"Output folder",
             "the generator folder, relative to the workspace and inside it (not in `media/`)"})
        .required("the folder the generator goes to")
        .text("name", &GenTrainSpec::name,
              {"Name", "the name in the models table and of its samples"})
        .defaultNote("`out`'s name")
        .choice("data", &GenTrainSpec::data, kGenDataNames,
                {"Data", "`\"renders\"`: a fresh clean ShapeWorld scene for a training prompt at "
                         "every visit (endless data, seeded by position); `\"generations\"`: the "
                         "stored images of `generators`"})
        .words("generators", &GenTrainSpec::generators,
               {"Generators (data: generations)", "for `\"generations\"`"})
        .text("split", &GenTrainSpec::split, {"Split", "the prompts to learn from"})
        .words("categories", &GenTrainSpec::categories,
               {"Prompt categories (empty: all)",
                "prompt categories to keep; empty: all image categories"})
        .integer("tokenizer_vocab", &GenTrainSpec::tokenizerVocab, {300.0, 65536.0},
                 {"Prompt tokenizer size", "the prompt tokenizer's size (fresh generators)"})
        .integer("steps", &GenTrainSpec::steps, {0.0},
                 {"Steps (0: time budget)",
                  "optimizer steps; 0: until `time_limit_s`, the cosine spread over the budget"})
        .integer("batch", &GenTrainSpec::batch, {1.0, 4096.0},
                 {"Batch (images)", "images per step"})
        .adamW()
        .real("cfg_dropout", &GenTrainSpec::cfgDropout, {0.0, 1.0},
              {"Null-prompt share (guidance)",
               "share of examples trained with the null prompt (for guidance)"})
        .choice("time_sampling", &GenTrainSpec::timeSampling, kTimeSamplingNames,
                {"Time sampling", "how t is drawn: `\"uniform\"` or `\"logit_normal\"` (SD3)"})
        .real("ema_decay", &GenTrainSpec::emaDecay, {0.0, 0.999999},
              {"EMA decay (0: none)",
               "EMA of the weights, which is the saved model; 0: the raw weights"})
        .seed("seed", &GenTrainSpec::seed,
              {"Seed", "data order, scenes, noise and t are functions of (seed, step)"})
        .threads()
        .with(diffusion::sampleEvaluationFields<GenTrainSpec>)
        .integer("checkpoint_every", &GenTrainSpec::checkpointEvery, {0.0},
                 {"Save the resumable state every",
                  "the resumable state (weights, EMA, optimizer, step) is replaced crash-safely"})
        .real("time_limit_s", &GenTrainSpec::timeLimitSeconds, {0.0},
              {"Time budget (s)", "0: none"});
}

} // namespace

const jobs::SpecFields<GenTrainSpec>& genTrainFields() {
    static const jobs::SpecFields<GenTrainSpec> fields = declare();
    return fields;
}

nlohmann::json toJson(const GenTrainSpec& spec) {
    return genTrainFields().toJson(spec);
}

} // namespace rd::diffusion
