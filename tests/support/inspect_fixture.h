// The study workspace plus one reward model's judgments (known P("yes") and P("no") per order,
// some pairs inconsistent, some unjudged) and one annotator's GSB verdicts: what the Inspect tests
// filter.
#pragma once

#include "store/workspace.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rd::test {

constexpr const char* kInspectAnnotator = "ana";

struct FixturePair {
    store::RowId id = 0;
    std::string category;
    int label = 0; // +1: b preferred, -1: a preferred, 0: tie or unknown
    std::optional<double> pAB, pBA;
    std::optional<double> pNoAB, pNoBA; // P("no"), where stored
    int humanLean = 0;                  // verdicts for b minus verdicts for a
    double score() const { return (*pAB + 1.0 - *pBA) / 2.0; }
};

struct InspectFixture {
    std::unique_ptr<store::Workspace> ws;
    store::RowId modelId = 0;
    std::vector<FixturePair> pairs;
};

InspectFixture inspectFixture(const std::filesystem::path& folder);

} // namespace rd::test
