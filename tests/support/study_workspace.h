// A ShapeWorld workspace with one GSB study over its clean-vs-sloppy pairs, the candidate's
// side alternating item by item: the studio tests' common ground.
#pragma once

#include "store/workspace.h"
#include "synth/prompt_sampler.h"

#include <filesystem>
#include <memory>

namespace rd::test {

constexpr const char* kStudyName = "clean vs sloppy";

// Images by default; clips (8 frames of 64 px) with MediaMode::Video.
std::unique_ptr<store::Workspace> studyWorkspace(const std::filesystem::path& folder,
                                                 synth::MediaMode mode = synth::MediaMode::Image);

} // namespace rd::test
