// How sure a reward model is about each pair of a split, for active labeling (issue "Close the
// human loop": `rdance gsb create --select uncertain --model M`). From the RM's scores of both
// sides:
//   - pairwise with a reference: the mean of the two orders' decisions, P(yes | A, B) and
//     1 - P(yes | B, A) (renormalised over yes/no);
//   - regressive: Bradley-Terry on the two scalar rewards.
// certainty = |2 P(B better) - 1| in [0, 1]; a pairwise RM whose two orders name different
// winners is less sure than any consistent one: its certainty is that minus 1 (in [-1, 0]).
// A pointwise generative RM answers for each image alone whether it meets the prompt, so its
// certainty is that of its less certain image, min(|2 P(yes | A) - 1|, |2 P(yes | B) - 1|):
// P(B better) near 0.5 would pick ties (both images clearly right, or both clearly wrong).
// Pairs without a preference are scored too: labeling is for them.
//
// Usage:
//   std::map<RowId, double> c = pairCertainty(ws, "models/rm", "train", 16);
#pragma once

#include "store/records.h"

#include <filesystem>
#include <map>
#include <string>

namespace rd::store {
class Workspace;
}

namespace rd::reward {

// Throws rd::Error naming the model folder or the workspace when there is nothing to score.
std::map<store::RowId, double> pairCertainty(store::Workspace& workspace,
                                             const std::filesystem::path& model,
                                             const std::string& split, int batchSize);

} // namespace rd::reward
