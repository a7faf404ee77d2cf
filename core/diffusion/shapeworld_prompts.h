// The workspace's ShapeWorld image prompts of a split: the prompts a generator trains on, is
// evaluated on and samples for. Prompts the ShapeWorld parser does not understand, and video
// prompts, are left out (and counted).
//
// Usage:
//   PromptSelection s = shapeWorldImagePrompts(ws, "id", {});
//   for (const WorldPrompt& p : s.prompts) p.record.text, p.spec;
#pragma once

#include "store/records.h"
#include "synth/prompt_spec.h"

#include <string>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::diffusion {

struct WorldPrompt {
    store::PromptRecord record;
    synth::PromptSpec spec;
};

struct PromptSelection {
    std::vector<WorldPrompt> prompts; // in id order
    int skipped = 0;                  // not ShapeWorld image prompts
};

// categories: names as stored ("counting", ...); empty for all.
PromptSelection shapeWorldImagePrompts(store::Workspace& ws, const std::string& split,
                                       const std::vector<std::string>& categories);

// At most `count` prompts spread evenly over the list, so every category shows up in a small
// evaluation (all of them when there are no more than count).
std::vector<WorldPrompt> spreadOver(const std::vector<WorldPrompt>& prompts, int count);

} // namespace rd::diffusion
