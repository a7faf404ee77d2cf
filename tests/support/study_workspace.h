// A ShapeWorld workspace with one GSB study over its clean-vs-sloppy image pairs, the candidate's
// side alternating item by item: the studio tests' common ground.
#pragma once

#include "store/workspace.h"

#include <filesystem>
#include <memory>

namespace rd::test {

constexpr const char* kStudyName = "clean vs sloppy";

std::unique_ptr<store::Workspace> studyWorkspace(const std::filesystem::path& folder);

} // namespace rd::test
