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

} // namespace rd::label
