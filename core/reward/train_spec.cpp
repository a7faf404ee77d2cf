#include "reward/train_spec.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_text.h"
#include "jobs/job_fields.h"
#include "jobs/spec_fields.h"
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
    jobs::JobFields f(json, where);
    RmTrainSpec s = rmTrainFields().read(f); // the fields one by one: train_spec_fields.cpp
    const bool stream = s.groundingSource == GroundingSource::Stream;
    for (const std::string& kind : s.groundingKinds)
        if (stream ? !synth::parseDirectKind(kind) : !isGroundingKind(kind)) {
            std::string known;
            if (stream)
                for (synth::DirectKind k : synth::kDirectKinds)
                    known += (known.empty() ? "" : ", ") + std::string(synth::name(k));
            else
                for (const char* k : kGroundingKinds)
                    known += (known.empty() ? "" : ", ") + std::string(k);
            f.fail("grounding_kinds", "has \"" + kind + "\"; the " +
                                          jobs::nameOf(kGroundingSourceNames, s.groundingSource) +
                                          " kinds are " + known);
        }
    if (s.backbone.empty())
        try {
            model::presetConfig(s.preset);
        } catch (const Error& e) {
            f.fail("preset", std::string("is not a preset: ") + e.what());
        }
    if (s.steps == 0 && s.timeLimitSeconds <= 0)
        f.fail("steps", "may be 0 (train until time_limit_s) only with a time_limit_s");
    if (s.stage != RmStage::Grounding && !s.groundingKinds.empty())
        f.fail("grounding_kinds", "applies to the grounding stage only (leave it out)");
    if (s.stage != RmStage::Grounding && s.groundingCellWeight > 0)
        f.fail("grounding_cell_weight", "applies to the grounding stage only (leave it out)");
    if (s.stage != RmStage::Grounding && s.groundingQuestionFirst)
        f.fail("grounding_question_first", "applies to the grounding stage only (leave it out)");
    if (s.stage != RmStage::Grounding && stream)
        f.fail("grounding_source", "applies to the grounding stage only (leave it out)");
    if (stream && s.groundingLayout != GroundingLayout::Single)
        f.fail("grounding_layout", "must be \"single\" with the stream source");
    if (stream && s.groundingCellWeight > 0)
        f.fail("grounding_cell_weight", "needs the workspace source (scene sidecars)");
    if (s.stage == RmStage::Grounding && (s.labels != LabelSource::Pairs || !s.studies.empty()))
        f.fail(s.labels != LabelSource::Pairs ? "labels" : "studies",
               "applies to the reward stage only (leave it out)");
    if (s.stage == RmStage::Grounding && s.paradigm != Paradigm::PairwiseGenerative)
        f.fail("paradigm", "does not apply to the grounding stage (leave it out)");
    if (s.name.empty())
        s.name = fs::path(s.out).filename().string();
    return s;
}

RmTrainSpec readRmTrainSpec(const fs::path& file) {
    return parseRmTrainSpec(parseJsonText(readWholeFile(file), file.string()), file.string());
}

} // namespace rd::reward
