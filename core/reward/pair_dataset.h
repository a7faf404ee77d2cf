// The preference pairs of a workspace split, ready for RM training and evaluation: each pair's
// prompt, which side won, the chain-of-thought answers for both image orders (ShapeWorld pairs
// get both of the paper's formats, §3.2.1; imported pairs their stored rationale or the bare
// yes/no) and every image preprocessed once to the model's input tensor.
//
// Usage:
//   PairDataset data = loadPairDataset(ws, *rm, {.split = "train"});
//   for (const PairExample& p : data.pairs) data.image(p.mediaA);   // [tiles, 3, S, S]
#pragma once

#include "reward/train_spec.h"
#include "store/records.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace rd::store {
class Workspace;
}
namespace rd::label {
struct HumanLabels;
}

namespace rd::reward {

class RewardModel;

// The answer to "Is image 2 better than image 1?" for one order of a pair (or, for a checklist,
// to the pointwise question about one image), in both CoT formats.
struct OrderedAnswer {
    bool yes = false;
    std::string decisionFirst;  // "yes. <reason>" (empty when no rationale is known)
    std::string reasoningFirst; // "<reason> Answer: yes"
};

struct PairExample {
    store::RowId pairId = 0;
    std::string prompt;
    std::string category;
    store::Preference preferred = store::Preference::Unknown; // A, B or Tie
    store::RowId mediaA = 0, mediaB = 0;
    OrderedAnswer ab; // image 1 = A (the reference), image 2 = B (the candidate)
    OrderedAnswer ba;
    // The pointwise question "Is this image well aligned with the prompt?" for each image alone,
    // answered with its checklist (synth/checklist.h; ShapeWorld pairs only, else empty texts).
    OrderedAnswer checklistA, checklistB;
    bool humanLabel = false; // the preference is people's (label/human_labels.h)
};

struct PairDatasetOptions {
    std::string split = "train";
    std::vector<std::string> categories; // empty: all
    std::int64_t maxPairs = 0;           // 0: all
    bool withRationales = true;          // false: skip building CoT texts (evaluation)
    // Humans: only pairs people labelled, with their label; Both: people's label where there is
    // one, else the pair's. A pair whose two images another pair row holds too (a study may
    // store them in the other order) is read once.
    LabelSource labels = LabelSource::Pairs;
    const label::HumanLabels* humanLabels = nullptr; // needed unless labels is Pairs
    std::set<store::RowId> onlyPairs;                // non-empty: these pairs only
    bool keepUnlabelled = false; // pairs without a preference too (scoring, never training)
};

struct PairDataset {
    std::vector<PairExample> pairs;
    std::map<store::RowId, at::Tensor> images; // media id -> model input [tiles, 3, S, S]
    int skippedVideos = 0;                     // clip pairs (the image RM does not read them)
    int skippedUnknown = 0;                    // pairs without a preference
    int skippedInconsistent = 0;      // ShapeWorld pairs whose preference no longer fits the scenes
    int skippedWithoutHumanLabel = 0; // labels Humans: pairs people did not label (or decide)
    int humanLabelled = 0;            // pairs whose preference is people's
    // People's label against what the ShapeWorld scenes say: trained as the bare answer, since
    // the scene's checklist would contradict it.
    int humanAgainstScene = 0;

    const at::Tensor& image(store::RowId mediaId) const;
};

// Throws rd::Error naming the media file when an image cannot be read.
PairDataset loadPairDataset(store::Workspace& workspace, const RewardModel& rm,
                            const PairDatasetOptions& options);

// Splits pairs into (train, validation) by a hash of the pair id: stable across runs and seeds.
std::pair<std::vector<PairExample>, std::vector<PairExample>>
holdOut(const std::vector<PairExample>& pairs, double fraction);

} // namespace rd::reward
