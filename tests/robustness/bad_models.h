// Broken copies of a good reward-model folder, for the robustness corpus: each has one fault a
// user could meet (a hand-edited config, a download cut short, weights gone NaN in training).
#pragma once

#include <filesystem>

namespace rd::test {

// Writes into/<name> for name in: heads0 (lm.heads 0), huge (lm.hidden 1e9), toobig (a config in
// range whose weights exceed any machine's memory), nan (a NaN in the first float tensor),
// nohead (lm_head left out of the safetensors file), noreward (no reward.json), truncated
// (model.safetensors cut to 60%).
void writeBadModels(const std::filesystem::path& good, const std::filesystem::path& into);

} // namespace rd::test
