#include "diffusion/gen_train_spec.h"

#include "common/error.h"
#include "diffusion/generator_config.h"
#include "jobs/job_fields.h"
#include "text/json_file.h"

#include <nlohmann/json.hpp>

namespace rd::diffusion {
namespace fs = std::filesystem;

fs::path GenTrainSpec::outFolder(const fs::path& workspace) const {
    return workspace / out; // parsing keeps out relative and inside the workspace
}

GenTrainSpec parseGenTrainSpec(const nlohmann::json& json, const std::string& where) {
    GenTrainSpec s;
    jobs::JobFields f(json, where);
    f.read("preset", s.preset);
    f.read("init", s.init);
    f.readOutFolder("out", s.out);
    f.read("name", s.name);
    f.readChoice("data", s.data, {"renders", "generations"});
    f.read("generators", s.generators);
    f.read("split", s.split);
    f.read("categories", s.categories);
    f.read("tokenizer_vocab", s.tokenizerVocab, {300.0, 65536.0});
    f.read("steps", s.steps, {0.0});
    f.read("batch", s.batch, {1.0, 4096.0});
    f.read("lr", s.lr, {0.0, 1.0, true});
    f.read("weight_decay", s.weightDecay, {0.0, 1.0});
    f.read("warmup_steps", s.warmupSteps, {0.0});
    f.read("min_lr_ratio", s.minLrRatio, {0.0, 1.0});
    f.read("clip_norm", s.clipNorm, {0.0});
    f.read("cfg_dropout", s.cfgDropout, {0.0, 1.0});
    f.readChoice("time_sampling", s.timeSampling, {"uniform", "logit_normal"});
    f.read("ema_decay", s.emaDecay, {0.0, 0.999999});
    std::int64_t seed = static_cast<std::int64_t>(s.seed);
    f.read("seed", seed, {0.0});
    s.seed = static_cast<std::uint64_t>(seed);
    f.read("threads", s.threads, {0.0, 1024.0});
    f.read("eval_every", s.evalEvery, {0.0});
    f.read("eval_split", s.evalSplit);
    f.read("eval_prompts", s.evalPrompts, {1.0, 100000.0});
    f.read("eval_steps", s.evalSteps, {1.0, 1000.0});
    f.read("eval_guidance", s.evalGuidance, {0.0, 100.0});
    f.read("checkpoint_every", s.checkpointEvery, {0.0});
    f.read("time_limit_s", s.timeLimitSeconds, {0.0});
    f.finish();
    if (s.out.empty())
        f.fail("out", "is required (the folder the generator goes to)");
    if (s.init.empty())
        try {
            generatorPreset(s.preset);
        } catch (const Error& e) {
            f.fail("preset", std::string("is not a preset: ") + e.what());
        }
    if (s.steps == 0 && s.timeLimitSeconds <= 0)
        f.fail("steps", "may be 0 (train until time_limit_s) only with a time_limit_s");
    if (s.data == "generations" && s.generators.empty())
        f.fail("generators", "must name at least one generator when data is \"generations\"");
    if (s.name.empty())
        s.name = fs::path(s.out).filename().string();
    return s;
}

GenTrainSpec readGenTrainSpec(const fs::path& file) {
    return parseGenTrainSpec(text::readJsonFile(file), file.string());
}

nlohmann::json toJson(const GenTrainSpec& s) {
    return {{"preset", s.preset},
            {"init", s.init},
            {"out", s.out},
            {"name", s.name},
            {"data", s.data},
            {"generators", s.generators},
            {"split", s.split},
            {"categories", s.categories},
            {"tokenizer_vocab", s.tokenizerVocab},
            {"steps", s.steps},
            {"batch", s.batch},
            {"lr", s.lr},
            {"weight_decay", s.weightDecay},
            {"warmup_steps", s.warmupSteps},
            {"min_lr_ratio", s.minLrRatio},
            {"clip_norm", s.clipNorm},
            {"cfg_dropout", s.cfgDropout},
            {"time_sampling", s.timeSampling},
            {"ema_decay", s.emaDecay},
            {"seed", s.seed},
            {"threads", s.threads},
            {"eval_every", s.evalEvery},
            {"eval_split", s.evalSplit},
            {"eval_prompts", s.evalPrompts},
            {"eval_steps", s.evalSteps},
            {"eval_guidance", s.evalGuidance},
            {"checkpoint_every", s.checkpointEvery},
            {"time_limit_s", s.timeLimitSeconds}};
}

} // namespace rd::diffusion
