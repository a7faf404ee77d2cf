#include "refl/refl_spec.h"

#include "common/error.h"
#include "jobs/job_fields.h"
#include "text/json_file.h"

#include <nlohmann/json.hpp>

namespace rd::refl {
namespace fs = std::filesystem;

fs::path ReflSpec::outFolder(const fs::path& workspace) const {
    return workspace / out; // parsing keeps out relative and inside the workspace
}

ReflSpec parseReflSpec(const nlohmann::json& json, const std::string& where) {
    ReflSpec s;
    jobs::JobFields f(json, where);
    f.read("generator", s.generator);
    f.read("reward_model", s.rewardModel);
    f.readOutFolder("out", s.out);
    f.read("name", s.name);
    f.read("split", s.split);
    f.read("categories", s.categories);
    f.read("prompts", s.prompts, {0.0});
    f.readChoice("references", s.references, {"best", "worst"});
    f.read("bon_candidates", s.bonCandidates, {2.0, 64.0});
    f.read("bon_keep", s.bonKeep, {1.0, 64.0});
    f.read("bon_steps", s.bonSteps, {1.0, 1000.0});
    f.read("sampling_steps", s.samplingSteps, {1.0, 1000.0});
    f.read("grad_window", s.gradWindow, {1.0, 1000.0});
    f.read("guidance", s.guidance, {0.0, 100.0});
    f.read("margin", s.margin);
    f.read("reward_scale", s.rewardScale, {0.0, 1e6, true});
    f.read("sft_weight", s.sftWeight, {0.0, 1e6});
    f.read("sft_batch", s.sftBatch, {1.0, 4096.0});
    f.read("steps", s.steps, {0.0});
    f.read("batch", s.batch, {1.0, 4096.0});
    f.read("lr", s.lr, {0.0, 1.0, true});
    f.read("weight_decay", s.weightDecay, {0.0, 1.0});
    f.read("warmup_steps", s.warmupSteps, {0.0});
    f.read("min_lr_ratio", s.minLrRatio, {0.0, 1.0});
    f.read("clip_norm", s.clipNorm, {0.0});
    std::int64_t seed = static_cast<std::int64_t>(s.seed);
    f.read("seed", seed, {0.0});
    s.seed = static_cast<std::uint64_t>(seed);
    f.read("threads", s.threads, {0.0, 1024.0});
    f.read("variance_window", s.varianceWindow, {1.0, 1e7});
    f.read("eval_every", s.evalEvery, {0.0});
    f.read("eval_split", s.evalSplit);
    f.read("eval_prompts", s.evalPrompts, {1.0, 100000.0});
    f.read("eval_steps", s.evalSteps, {1.0, 1000.0});
    f.read("eval_guidance", s.evalGuidance, {0.0, 100.0});
    f.read("checkpoint_every", s.checkpointEvery, {0.0});
    f.read("time_limit_s", s.timeLimitSeconds, {0.0});
    f.finish();
    for (auto [field, value] :
         {std::pair{"generator", &s.generator}, {"reward_model", &s.rewardModel}, {"out", &s.out}})
        if (value->empty())
            f.fail(field, "is required");
    if (s.gradWindow > s.samplingSteps)
        f.fail("grad_window", "cannot exceed sampling_steps");
    if (s.bonKeep > s.bonCandidates)
        f.fail("bon_keep", "cannot exceed bon_candidates");
    if (s.steps == 0 && s.timeLimitSeconds <= 0)
        f.fail("steps", "may be 0 (train until time_limit_s) only with a time_limit_s");
    if (s.name.empty())
        s.name = fs::path(s.out).filename().string();
    return s;
}

ReflSpec readReflSpec(const fs::path& file) {
    return parseReflSpec(text::readJsonFile(file), file.string());
}

nlohmann::json toJson(const ReflSpec& s) {
    return {{"generator", s.generator},
            {"reward_model", s.rewardModel},
            {"out", s.out},
            {"name", s.name},
            {"split", s.split},
            {"categories", s.categories},
            {"prompts", s.prompts},
            {"references", s.references},
            {"bon_candidates", s.bonCandidates},
            {"bon_keep", s.bonKeep},
            {"bon_steps", s.bonSteps},
            {"sampling_steps", s.samplingSteps},
            {"grad_window", s.gradWindow},
            {"guidance", s.guidance},
            {"margin", s.margin},
            {"reward_scale", s.rewardScale},
            {"sft_weight", s.sftWeight},
            {"sft_batch", s.sftBatch},
            {"steps", s.steps},
            {"batch", s.batch},
            {"lr", s.lr},
            {"weight_decay", s.weightDecay},
            {"warmup_steps", s.warmupSteps},
            {"min_lr_ratio", s.minLrRatio},
            {"clip_norm", s.clipNorm},
            {"seed", s.seed},
            {"threads", s.threads},
            {"variance_window", s.varianceWindow},
            {"eval_every", s.evalEvery},
            {"eval_split", s.evalSplit},
            {"eval_prompts", s.evalPrompts},
            {"eval_steps", s.evalSteps},
            {"eval_guidance", s.evalGuidance},
            {"checkpoint_every", s.checkpointEvery},
            {"time_limit_s", s.timeLimitSeconds}};
}

} // namespace rd::refl
