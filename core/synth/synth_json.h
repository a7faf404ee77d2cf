// JSON forms of ShapeWorld's specs and scenes: the prompt's metadata in the workspace
// ({"shapeworld": {...}}) and the scene sidecar stored beside each media file, so later code
// (the RM trainer's rationales, evaluations) can rebuild both without re-parsing text.
//
// Usage:
//   nlohmann::json j = specToJson(spec, wording);     // {"category": "counting", ...}
//   PromptSpec back = specFromJson(j);
//   Scene scene = sceneFromJson(sceneToJson(scene));
#pragma once

#include "synth/prompt_spec.h"
#include "synth/prompt_writer.h"
#include "synth/scene.h"

#include <nlohmann/json.hpp>

namespace rd::synth {

nlohmann::json specToJson(const PromptSpec& spec, const PromptWording& wording);
// Throws rd::Error(Format) naming the field at fault.
PromptSpec specFromJson(const nlohmann::json& json);

nlohmann::json sceneToJson(const Scene& scene);
Scene sceneFromJson(const nlohmann::json& json);

} // namespace rd::synth
