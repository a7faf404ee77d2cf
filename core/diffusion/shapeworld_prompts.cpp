#include "diffusion/shapeworld_prompts.h"

#include "common/error.h"
#include "store/prompt_repository.h"
#include "store/workspace.h"
#include "synth/prompt_parser.h"
#include "synth/vocabulary.h"

#include <algorithm>

namespace rd::diffusion {

PromptSelection shapeWorldImagePrompts(store::Workspace& ws, const std::string& split,
                                       const std::vector<std::string>& categories) {
    for (const std::string& c : categories)
        if (!synth::parseCategory(c))
            throw Error(ErrorKind::InvalidArgument, "unknown category '" + c + "'");
    PromptSelection selection;
    for (const store::PromptRecord& record : ws.prompts().listBySplit(split)) {
        if (!categories.empty() &&
            std::find(categories.begin(), categories.end(), record.category) == categories.end())
            continue;
        try {
            synth::PromptSpec spec = synth::parsePrompt(record.text);
            if (spec.isVideo()) {
                ++selection.skipped;
                continue;
            }
            selection.prompts.push_back({record, std::move(spec)});
        } catch (const Error&) {
            ++selection.skipped; // an imported prompt outside ShapeWorld's language
        }
    }
    return selection;
}

std::vector<WorldPrompt> spreadOver(const std::vector<WorldPrompt>& prompts, int count) {
    if (count <= 0 || prompts.size() <= static_cast<size_t>(count))
        return prompts;
    std::vector<WorldPrompt> picked;
    for (int i = 0; i < count; ++i)
        picked.push_back(prompts[static_cast<size_t>(i) * prompts.size() / count]);
    return picked;
}

} // namespace rd::diffusion
