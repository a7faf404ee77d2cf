// Turns a ranked list of generations (lower rank = better, as ImageReward and HPDv2 store it)
// into every pairwise comparison; equal ranks become ties.
#pragma once

#include "store/import_source.h"

#include <vector>

namespace rd::importers {

struct RankedGeneration {
    std::filesystem::path media;
    double rank = 0.0;
};

// Emits one row per unordered pair (i < j), copying prompt/category/split/source from base.
void emitRankedPairs(const store::ImportRow& base, const std::vector<RankedGeneration>& ranked,
                     const store::RowSink& sink);

// The split implied by a manifest's name: train.json -> train, valid/validation -> val,
// test.json -> test; otherwise "train".
std::string splitFromFileName(const std::filesystem::path& manifest);

} // namespace rd::importers
