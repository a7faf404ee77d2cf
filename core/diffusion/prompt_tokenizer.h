// The generator's prompt tokenizer: a byte-level BPE (saved as tokenizer.json, so it loads like
// any other) learned from the training prompts plus every ShapeWorld word, so held-out prompts of
// the id and ood splits still tokenize into whole words.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rd::diffusion {

// Writes the tokenizer atomically; throws rd::Error when there is no prompt to learn from.
void trainPromptTokenizer(const std::vector<std::string>& prompts, int vocabSize,
                          const std::filesystem::path& file);

} // namespace rd::diffusion
