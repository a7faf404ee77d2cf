// Creates a GSB study between two generators of the workspace (issue "Generator and ReFL": SFT
// against ReFL samples; `rdance gsb create`). For every prompt with samples of both, samples are
// paired by seed (the same starting noise when both were sampled with the same seeds), one item
// per pair with the candidate's side drawn at random. On top come, at configurable rates:
//   - honeypots: the workspace's synthetic pairs with a known winner (ShapeWorld: one image
//     matches the prompt, the other misses it), whose right verdict is stored (an attention check);
//   - repeats: an earlier item's pair again with the sides swapped (self-consistency).
// Everything is written in one transaction: a failure leaves no half-made study.
#pragma once

#include "store/records.h"

#include <map>
#include <optional>
#include <string>

namespace rd::store {
class Workspace;
}

namespace rd::label {

struct StudyOptions {
    std::string name;
    std::string baselineGenerator;
    std::string candidateGenerator;
    std::optional<std::string> split; // prompts of this split only
    int maxItems = 200;               // normal items at most (0: all)
    double honeypotRate = 0.05;       // honeypots per normal item
    double repeatRate = 0.05;         // repeats per normal item
    std::uint64_t seed = 1;
};

struct StudyReport {
    store::RowId studyId = 0;
    int items = 0, honeypots = 0, repeats = 0;
    int pairsCreated = 0; // new pair rows (pairs already stored are reused)
};

// Throws rd::Error (InvalidArgument) naming what is wrong: an existing study name, a generator
// with no samples, no prompt with samples of both, a rate outside [0, 1].
StudyReport createGeneratorStudy(store::Workspace& ws, const StudyOptions& options);

// How a pair study chooses its pairs (issue "Close the human loop"). Random is an unbiased
// sample of the split; Uncertain takes the pairs the RM is least sure of (active labeling), so
// its GSB score is not a fair estimate and the report says so (design "selection").
enum class Selection { Random = 1, Uncertain };
const char* name(Selection selection); // "random", "uncertain"

// A pair study labels the workspace's own pairs (imported without a preference, or synthetic)
// for the RM to learn from (label/human_labels.h): each item shows a pair's two images, side B
// as the "candidate", so Good means B is better. Its baseline and candidate are named so.
inline constexpr const char* kPairSideA = "pair side A";
inline constexpr const char* kPairSideB = "pair side B";

struct PairStudyOptions {
    std::string name;
    std::string split = "train";
    int maxItems = 200; // normal items at most (0: all)
    double honeypotRate = 0.05;
    double repeatRate = 0.05;
    std::uint64_t seed = 1;
    bool skipJudged = true; // leave out pairs whose two images someone has judged already
    Selection selection = Selection::Random;
    // Uncertain: pair id -> how sure the RM is (smaller: less sure; reward/pair_certainty.h);
    // pairs without an entry are not candidates. The model is named in the study's design.
    std::map<store::RowId, double> certainty;
    std::string selectionModel;
};

// Throws rd::Error (InvalidArgument): an existing study name, a rate outside [0, 1], no pair of
// the split left to label, uncertain selection without certainties.
StudyReport createPairStudy(store::Workspace& ws, const PairStudyOptions& options);

} // namespace rd::label
