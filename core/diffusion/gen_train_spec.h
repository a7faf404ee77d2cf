// The generator SFT job spec (`rdance gen train WS --config JOB.json`). Every field has the
// default below; unknown fields and out-of-range values are refused with the field's name. Each
// field is declared once in gen_train_spec_fields.cpp, and docs/GENERATOR.md's table is printed
// from there (`rdance fields gen-train`).
#pragma once

#include "diffusion/time_sampling.h"
#include "jobs/enum_names.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace rd::jobs {
template <class Spec> class SpecFields;
} // namespace rd::jobs

namespace rd::diffusion {

// What SFT learns from: a fresh ShapeWorld render of a training prompt at every visit, or the
// stored images of named generators.
enum class GenData { Renders, Generations };
inline constexpr jobs::EnumName<GenData> kGenDataNames[] = {{GenData::Renders, "renders"},
                                                            {GenData::Generations, "generations"}};

struct GenTrainSpec {
    std::string preset = "gen-s"; // a fresh generator of this preset, unless init is set
    std::string init;             // a generator folder to continue from (its tokenizer too)
    std::string out;              // the generator folder; relative to the workspace
    std::string name;             // default: the out folder's name
    // Data: "renders" draws a fresh ShapeWorld scene for a training prompt at every visit;
    // "generations" reads the stored images of `generators` for the split's prompts.
    GenData data = GenData::Renders;
    std::vector<std::string> generators = {"shapeworld-clean"};
    std::string split = "train";
    std::vector<std::string> categories; // empty: all image categories
    int tokenizerVocab = 512;
    // Optimisation.
    std::int64_t steps = 2000; // 0: until time_limit_s, the cosine spread over the time budget
    int batch = 64;
    double lr = 1e-3;
    double weightDecay = 0.0;
    std::int64_t warmupSteps = 100;
    double minLrRatio = 0.1;
    double clipNorm = 1.0;
    double cfgDropout = 0.1; // share of examples trained with the null prompt (for guidance)
    TimeSampling timeSampling = TimeSampling::LogitNormal;
    double emaDecay = 0.999; // 0: no EMA; else the EMA weights are the saved model
    std::uint64_t seed = 1;
    int threads = 0;
    // Evaluation while training: oracle alignment of samples for held-out prompts.
    std::int64_t evalEvery = 250; // 0: never
    std::string evalSplit = "id";
    int evalPrompts = 32;
    int evalSteps = 20;
    double evalGuidance = 3.0;
    std::int64_t checkpointEvery = 250;
    double timeLimitSeconds = 0;

    std::filesystem::path outFolder(const std::filesystem::path& workspace) const;
};

GenTrainSpec parseGenTrainSpec(const nlohmann::json& json, const std::string& where);
GenTrainSpec readGenTrainSpec(const std::filesystem::path& file);
nlohmann::json toJson(const GenTrainSpec& spec);
// Every field: name, type, default, range, choices, label and help (gen_train_spec_fields.cpp).
const jobs::SpecFields<GenTrainSpec>& genTrainFields();

} // namespace rd::diffusion
