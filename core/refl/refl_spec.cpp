#include "refl/refl_spec.h"

#include "common/error.h"
#include "jobs/job_fields.h"
#include "jobs/spec_fields.h"
#include "text/json_file.h"

#include <nlohmann/json.hpp>

namespace rd::refl {
namespace fs = std::filesystem;

fs::path ReflSpec::outFolder(const fs::path& workspace) const {
    return workspace / out; // parsing keeps out relative and inside the workspace
}

ReflSpec parseReflSpec(const nlohmann::json& json, const std::string& where) {
    jobs::JobFields f(json, where);
    ReflSpec s = reflFields().read(f); // the fields one by one: refl_spec_fields.cpp
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

} // namespace rd::refl
