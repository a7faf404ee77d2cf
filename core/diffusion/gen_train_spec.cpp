#include "diffusion/gen_train_spec.h"

#include "common/error.h"
#include "diffusion/generator_config.h"
#include "jobs/job_fields.h"
#include "jobs/spec_fields.h"
#include "text/json_file.h"

#include <nlohmann/json.hpp>

namespace rd::diffusion {
namespace fs = std::filesystem;

fs::path GenTrainSpec::outFolder(const fs::path& workspace) const {
    return workspace / out; // parsing keeps out relative and inside the workspace
}

GenTrainSpec parseGenTrainSpec(const nlohmann::json& json, const std::string& where) {
    jobs::JobFields f(json, where);
    GenTrainSpec s = genTrainFields().read(f); // the fields one by one: gen_train_spec_fields.cpp
    if (s.init.empty())
        try {
            generatorPreset(s.preset);
        } catch (const Error& e) {
            f.fail("preset", std::string("is not a preset: ") + e.what());
        }
    if (s.steps == 0 && s.timeLimitSeconds <= 0)
        f.fail("steps", "may be 0 (train until time_limit_s) only with a time_limit_s");
    if (s.data == GenData::Generations && s.generators.empty())
        f.fail("generators", "must name at least one generator when data is \"generations\"");
    if (s.name.empty())
        s.name = fs::path(s.out).filename().string();
    return s;
}

GenTrainSpec readGenTrainSpec(const fs::path& file) {
    return parseGenTrainSpec(text::readJsonFile(file), file.string());
}

} // namespace rd::diffusion
