#include "reward/train_spec.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_text.h"
#include "jobs/job_fields.h"
#include "model/model_config.h"
#include "reward/grounding_dataset.h"
#include "synth/direct_questions.h"

#include <nlohmann/json.hpp>

namespace rd::reward {
namespace fs = std::filesystem;

fs::path RmTrainSpec::outFolder(const fs::path& workspace) const {
    return workspace / out; // parsing keeps out relative and inside the workspace
}

RmTrainSpec parseRmTrainSpec(const nlohmann::json& json, const std::string& where) {
    RmTrainSpec s;
    jobs::JobFields f(json, where);
    f.readChoice("stage", s.stage, {"reward", "grounding"});
    f.readChoice("grounding_layout", s.groundingLayout, {"single", "pair"});
    f.readChoice("grounding_source", s.groundingSource, {"workspace", "stream"});
    f.read("grounding_kinds", s.groundingKinds);
    const bool stream = s.groundingSource == "stream";
    for (const std::string& kind : s.groundingKinds)
        if (stream ? !synth::parseDirectKind(kind) : !isGroundingKind(kind)) {
            std::string known;
            if (stream)
                for (synth::DirectKind k : synth::kDirectKinds)
                    known += (known.empty() ? "" : ", ") + std::string(synth::name(k));
            else
                for (const char* k : kGroundingKinds)
                    known += (known.empty() ? "" : ", ") + std::string(k);
            f.fail("grounding_kinds",
                   "has \"" + kind + "\"; the " + s.groundingSource + " kinds are " + known);
        }
    f.readChoice("grounding_caption", s.groundingCaption, {"counts", "places"});
    f.read("grounding_cell_weight", s.groundingCellWeight, {0.0, 100.0});
    f.read("grounding_question_first", s.groundingQuestionFirst);
    f.readChoice("paradigm", s.paradigm, {"pairwise", "pointwise", "regressive"});
    f.read("preset", s.preset);
    f.read("backbone", s.backbone);
    f.read("tokenizer", s.tokenizer);
    f.readOutFolder("out", s.out);
    f.read("name", s.name);
    f.read("with_instruction", s.withInstruction);
    f.read("with_reference", s.withReference);
    f.read("prompt_first", s.promptFirst);
    f.readChoice("cot", s.cot, {"decision_first", "reasoning_first", "both", "none"});
    f.read("both_orders", s.bothOrders);
    f.read("train_ties", s.trainTies);
    f.readChoice("labels", s.labels, {"pairs", "humans", "both"});
    f.read("human_min_honeypot_accuracy", s.humanMinHoneypotAccuracy, {0.0, 1.0});
    f.read("human_labels_simulated", s.humanLabelsSimulated);
    f.read("studies", s.studies);
    f.read("split", s.split);
    f.read("categories", s.categories);
    f.read("max_pairs", s.maxPairs, {0.0});
    f.read("val_fraction", s.valFraction, {0.0, 0.9});
    f.read("steps", s.steps, {0.0});
    f.read("batch", s.batch, {1.0, 4096.0});
    f.read("accumulation", s.accumulation, {1.0, 1024.0});
    f.read("lr", s.lr, {0.0, 1.0, true});
    f.read("weight_decay", s.weightDecay, {0.0, 1.0});
    f.read("warmup_steps", s.warmupSteps, {0.0});
    f.read("min_lr_ratio", s.minLrRatio, {0.0, 1.0});
    f.read("clip_norm", s.clipNorm, {0.0});
    f.read("decision_weight", s.decisionWeight, {0.0, 1000.0, true});
    f.read("pointwise_ce_weight", s.pointwiseCeWeight, {0.0, 100.0});
    f.read("tie_theta", s.tieTheta, {1.0, 100.0, true});
    std::int64_t seed = static_cast<std::int64_t>(s.seed);
    f.read("seed", seed, {0.0});
    s.seed = static_cast<std::uint64_t>(seed);
    f.read("threads", s.threads, {0.0, 1024.0});
    f.read("eval_every", s.evalEvery, {0.0});
    f.read("eval_pairs", s.evalPairs, {1.0});
    f.read("patience", s.patience, {0.0});
    f.read("checkpoint_every", s.checkpointEvery, {0.0});
    f.read("time_limit_s", s.timeLimitSeconds, {0.0});
    f.finish();
    if (s.out.empty())
        f.fail("out", "is required (the folder the checkpoint goes to)");
    if (s.backbone.empty())
        try {
            model::presetConfig(s.preset);
        } catch (const Error& e) {
            f.fail("preset", std::string("is not a preset: ") + e.what());
        }
    if (s.steps == 0 && s.timeLimitSeconds <= 0)
        f.fail("steps", "may be 0 (train until time_limit_s) only with a time_limit_s");
    if (s.stage != "grounding" && !s.groundingKinds.empty())
        f.fail("grounding_kinds", "applies to the grounding stage only (leave it out)");
    if (s.stage != "grounding" && s.groundingCellWeight > 0)
        f.fail("grounding_cell_weight", "applies to the grounding stage only (leave it out)");
    if (s.stage != "grounding" && s.groundingQuestionFirst)
        f.fail("grounding_question_first", "applies to the grounding stage only (leave it out)");
    if (s.stage != "grounding" && stream)
        f.fail("grounding_source", "applies to the grounding stage only (leave it out)");
    if (stream && s.groundingLayout != "single")
        f.fail("grounding_layout", "must be \"single\" with the stream source");
    if (stream && s.groundingCellWeight > 0)
        f.fail("grounding_cell_weight", "needs the workspace source (scene sidecars)");
    if (s.stage == "grounding" && (s.labels != "pairs" || !s.studies.empty()))
        f.fail(s.labels != "pairs" ? "labels" : "studies",
               "applies to the reward stage only (leave it out)");
    if (s.stage == "grounding" && s.paradigm != "pairwise")
        f.fail("paradigm", "does not apply to the grounding stage (leave it out)");
    if (s.name.empty())
        s.name = fs::path(s.out).filename().string();
    return s;
}

RmTrainSpec readRmTrainSpec(const fs::path& file) {
    return parseRmTrainSpec(parseJsonText(readWholeFile(file), file.string()), file.string());
}

nlohmann::json toJson(const RmTrainSpec& s) {
    return {{"stage", s.stage},
            {"grounding_layout", s.groundingLayout},
            {"grounding_source", s.groundingSource},
            {"grounding_kinds", s.groundingKinds},
            {"grounding_caption", s.groundingCaption},
            {"grounding_cell_weight", s.groundingCellWeight},
            {"grounding_question_first", s.groundingQuestionFirst},
            {"paradigm", s.paradigm},
            {"preset", s.preset},
            {"backbone", s.backbone},
            {"tokenizer", s.tokenizer},
            {"out", s.out},
            {"name", s.name},
            {"with_instruction", s.withInstruction},
            {"with_reference", s.withReference},
            {"prompt_first", s.promptFirst},
            {"cot", s.cot},
            {"both_orders", s.bothOrders},
            {"train_ties", s.trainTies},
            {"labels", s.labels},
            {"human_min_honeypot_accuracy", s.humanMinHoneypotAccuracy},
            {"human_labels_simulated", s.humanLabelsSimulated},
            {"studies", s.studies},
            {"split", s.split},
            {"categories", s.categories},
            {"max_pairs", s.maxPairs},
            {"val_fraction", s.valFraction},
            {"steps", s.steps},
            {"batch", s.batch},
            {"accumulation", s.accumulation},
            {"lr", s.lr},
            {"weight_decay", s.weightDecay},
            {"warmup_steps", s.warmupSteps},
            {"min_lr_ratio", s.minLrRatio},
            {"clip_norm", s.clipNorm},
            {"decision_weight", s.decisionWeight},
            {"pointwise_ce_weight", s.pointwiseCeWeight},
            {"tie_theta", s.tieTheta},
            {"seed", s.seed},
            {"threads", s.threads},
            {"eval_every", s.evalEvery},
            {"eval_pairs", s.evalPairs},
            {"patience", s.patience},
            {"checkpoint_every", s.checkpointEvery},
            {"time_limit_s", s.timeLimitSeconds}};
}

} // namespace rd::reward
