// Human labels of pairs, aggregated from the GSB verdicts people gave (issue "Close the human
// loop"): the RM trainer reads them with `"labels": "humans"` or `"both"` (reward/train_spec.h).
//
// A pair's label is the plurality of its verdicts over every study it appears in (a "Same" is a
// vote for a tie, kept as a tie); two answers with the most votes leave the pair undecided.
// Counted are the normal items only (honeypots and repeats are checks, not labels), from
// annotators whose honeypot accuracy over all studies is at least the threshold (an annotator
// who met no honeypot is kept, and counted as unchecked), and never a simulated annotator's
// verdicts unless asked (for measurements with `rdance gsb simulate`).
//
// A label belongs to the two images, not to the pair row: a study may store a new pair of the
// same generations in the other order, so labelFor() looks the label up by the generations and
// turns it round when needed.
//
// Usage:
//   HumanLabels labels = aggregateHumanLabels(ws, {});
//   if (auto p = labels.labelFor(pair)) ...;      // A, B or Tie, in the pair's own order
#pragma once

#include "store/records.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::label {

// A pair's two images, whatever their order: (smaller generation id, larger one).
using GenerationKey = std::pair<store::RowId, store::RowId>;
GenerationKey generationKey(const store::PairRecord& pair);

struct HumanLabelOptions {
    double minHoneypotAccuracy = 0.8; // annotators below it are left out
    bool includeSimulated = false;    // measurement only: count simulated annotators too
};

struct HumanLabel {
    // Relative to the generation with the smaller id (the key's first): A is that one.
    store::Preference preferred = store::Preference::Unknown;
    int votesA = 0, votesB = 0, votesTie = 0;
};

struct HumanLabels {
    // (smaller generation id, larger generation id) -> the decided label.
    std::map<GenerationKey, HumanLabel> byGenerations;
    int verdictsUsed = 0;
    int undecidedPairs = 0;    // a plurality of two answers
    int simulatedVerdicts = 0; // verdicts of simulated annotators (left out unless included)
    int leftOutVerdicts = 0;   // verdicts of annotators below the honeypot threshold
    std::vector<std::string> annotatorsKept, annotatorsLeftOut, annotatorsUnchecked;

    // The label of this pair's two images in the pair's own order (A: its genA), if decided.
    std::optional<store::Preference> labelFor(const store::PairRecord& pair) const;
    nlohmann::json summary() const;
};

// The pairs a study asks about (its normal items). Throws rd::Error(NotFound) for an unknown
// study.
std::set<store::RowId> studyPairIds(store::Workspace& workspace, const std::string& study);

// Throws rd::Error(InvalidArgument) for a threshold outside [0, 1].
HumanLabels aggregateHumanLabels(store::Workspace& workspace, const HumanLabelOptions& options);

} // namespace rd::label
