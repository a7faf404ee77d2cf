// The grounding stage's data (the role VLM pretraining plays for the paper's InternVL-based RMs,
// issue "RM engine II"): single images of the workspace's ShapeWorld training split, each with a
// caption of what it shows (counts, colours, shapes, positions) and yes/no questions "Does the
// image show <prompt>?" for its own prompt, for another prompt of the same category and for its
// prompt with one thing changed (a near miss), answered from the scene by the alignment judge,
// and attribute questions with balanced answers (grounding_questions.h). Only the training split
// is read.
#pragma once

#include "store/records.h"
#include "synth/alignment_judge.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <string>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::reward {

class RewardModel;

struct GroundingQuestion {
    std::string question;
    bool yes = false;
    // What the question tests: "shows" (the whole prompt), "near_miss" (the prompt with one thing
    // changed), "presence", "count", "location" or "position". Validation reports accuracy per
    // kind: which skill the backbone still lacks.
    std::string kind;
};

// The kinds above, and "caption" for the description row: what a grounding run may train on.
inline constexpr const char* kGroundingKinds[] = {"caption", "shows",    "near_miss", "presence",
                                                  "count",   "location", "position"};
bool isGroundingKind(const std::string& kind);
// What a run that names no kinds trains: every kind but "near_miss", which is asked for by name
// until a run shows it helps (a first one did not: docs/RM_TRAINING.md).
bool isDefaultGroundingKind(const std::string& kind);

struct GroundingExample {
    store::RowId mediaId = 0;
    std::string category;
    std::string caption;
    std::vector<GroundingQuestion> questions;
    std::vector<synth::ObservedObject> objects; // what the image shows (its scene)
};

struct GroundingDataset {
    std::vector<GroundingExample> examples;
    std::map<store::RowId, at::Tensor> images;
};

// captionPlaces: the captions also say where each object is (a 3x3 grid), not only how many of
// each kind there are.
GroundingDataset loadGroundingDataset(store::Workspace& workspace, const RewardModel& rm,
                                      const std::string& split, std::uint64_t seed,
                                      std::int64_t maxImages, bool captionPlaces = false);

// Questions and the caption request speak of "the image"; aboutImage points them at one image
// of two ("Is there a red circle in image 2?"), for the grounding stage's pair layout.
inline constexpr const char* kDescribeQuestion = "Describe the image.";
std::string showsQuestion(const std::string& prompt);
std::string aboutImage(std::string question, const std::string& slot);

} // namespace rd::reward
