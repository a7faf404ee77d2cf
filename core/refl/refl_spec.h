// The ReFL job spec (`rdance refl WS --config JOB.json`, paper §3.3.1 after ImageReward's ReFL).
// Every field has the default below; unknown fields and out-of-range values are refused with the
// field's name. Each field is declared once in refl_spec_fields.cpp, and docs/GENERATOR.md's
// table is printed from there (`rdance fields refl`).
#pragma once

#include "jobs/enum_names.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace rd::jobs {
template <class Spec> class SpecFields;
} // namespace rd::jobs

namespace rd::refl {

// Which Best-of-N samples are a pairwise RM's references (Table 8): top-k or bottom-k.
enum class ReflReferences { Best, Worst };
inline constexpr jobs::EnumName<ReflReferences> kReflReferencesNames[] = {
    {ReflReferences::Best, "best"}, {ReflReferences::Worst, "worst"}};

struct ReflSpec {
    std::string generator;   // the SFT generator folder to start from (required)
    std::string rewardModel; // the reward model folder (required)
    std::string out;         // the fine-tuned generator's folder (required)
    std::string name;        // default: the out folder's name
    // Prompts: a fixed subset of the split's ShapeWorld image prompts.
    std::string split = "train";
    std::vector<std::string> categories;
    int prompts = 256; // 0: all
    // References for a pairwise RM: Best-of-N by win counts (top-k), or bottom-k (Table 8).
    ReflReferences references = ReflReferences::Best;
    int bonCandidates = 4;
    int bonKeep = 1;
    int bonSteps = 20;
    // The ReFL step: sample without gradients down to a step chosen uniformly among the last
    // grad_window of sampling_steps, one step with gradients to the clean estimate, the reward.
    int samplingSteps = 20;
    int gradWindow = 5;
    double guidance = 3.0;
    // Loss: reward_scale x relu(margin - reward) + sft_weight x flow-matching loss on renders.
    double margin = 1.0;
    double rewardScale = 1.0;
    double sftWeight = 1.0;
    int sftBatch = 16;
    // Optimisation.
    std::int64_t steps = 300; // 0: until time_limit_s
    int batch = 8;
    double lr = 1e-4;
    double weightDecay = 0.0;
    std::int64_t warmupSteps = 10;
    double minLrRatio = 1.0; // constant after warm-up
    double clipNorm = 1.0;
    std::uint64_t seed = 1;
    int threads = 0;
    // Monitoring.
    int varianceWindow = 100; // iterations (the paper's figures use 1,000)
    std::int64_t evalEvery = 50;
    std::string evalSplit = "id";
    int evalPrompts = 48;
    int evalSteps = 20;
    double evalGuidance = 3.0;
    std::int64_t checkpointEvery = 50;
    double timeLimitSeconds = 0;

    std::filesystem::path outFolder(const std::filesystem::path& workspace) const;
};

ReflSpec parseReflSpec(const nlohmann::json& json, const std::string& where);
ReflSpec readReflSpec(const std::filesystem::path& file);
nlohmann::json toJson(const ReflSpec& spec);
// Every field: name, type, default, range, choices, label and help (refl_spec_fields.cpp).
const jobs::SpecFields<ReflSpec>& reflFields();

} // namespace rd::refl
