// A byte-level BPE tokenizer for a from-scratch RM, trained on the texts the RM will read in a
// workspace's training split: prompts, stored rationales, the RM instructions and questions, and
// the grounding stage's questions and captions words. Test splits are never read.
#pragma once

#include <filesystem>
#include <string>

namespace rd::store {
class Workspace;
}

namespace rd::reward {

// Writes tokenizer.json atomically; returns the number of documents it learned from.
std::size_t trainWorkspaceTokenizer(store::Workspace& workspace, const std::string& split,
                                    int vocabSize, const std::filesystem::path& file);

} // namespace rd::reward
