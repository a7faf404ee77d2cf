// `rdance bench store`: workspace import and judgment-commit throughput.
#pragma once

#include <nlohmann/json.hpp>

namespace rd::bench {

struct StoreBenchOptions {
    long rows = 100000;  // pair rows in the imported JSONL manifest
    long images = 2000;  // distinct image files the rows draw on
    long commits = 2000; // GSB judgments committed one by one
};

// Builds a scratch workspace and manifest under the system temp folder, measures, cleans up.
// Returns the figures as JSON (rows/s, seconds, commits/s).
nlohmann::json runStoreBench(const StoreBenchOptions& options);

} // namespace rd::bench
