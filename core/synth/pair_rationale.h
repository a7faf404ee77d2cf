// Both rationale formats for any ShapeWorld pair in a workspace, in either order - what the RM
// trainer asks for when it builds its decision-first and reasoning-first examples (Section
// 3.2.1), and the task-aware instruction and question that go with them (Figure 4). The workspace
// stores the decision-first text for order "ab" in pairs.rationale; this rebuilds both formats
// from the prompt's spec (its metadata, else its text) and each side's scene sidecar, or, for an
// file without one, from what the oracle sees in it.
//
// Usage:
//   PairContext c = rationaleForPair(*ws, pairId, store::JudgeOrder::BA);  // b is image 1
//   c.taskInstruction; c.question; c.rationale.decisionFirst; c.rationale.reasoningFirst;
#pragma once

#include "store/records.h"
#include "synth/alignment_judge.h"
#include "synth/pair_verdict.h"
#include "synth/rationale_writer.h"

#include <filesystem>
#include <optional>
#include <string>

namespace rd::store {
class Workspace;
}

namespace rd::synth {

struct PairContext {
    PromptSpec spec;
    std::string taskInstruction;
    std::string question;
    Rationale rationale;
    Difficulty difficulty = Difficulty::Hard;
    bool fromScenes = true; // false when the oracle had to look at a side without a sidecar
};

// The spec a stored prompt carries in its metadata ({"shapeworld": ...}), else its parsed text.
// Throws rd::Error naming the prompt when neither works.
PromptSpec promptSpecOf(const store::PromptRecord& prompt);

// What a stored media file shows: its sidecar scene, else the oracle's detections.
Observation observeStoredMedia(const std::filesystem::path& file, bool* fromScene = nullptr);

PairContext rationaleForPair(store::Workspace& workspace, store::RowId pairId,
                             store::JudgeOrder order = store::JudgeOrder::AB);

} // namespace rd::synth
