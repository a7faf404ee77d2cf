// A simulated annotator, for measurements and tests only (issue "Close the human loop";
// `rdance gsb simulate`): the ShapeWorld oracle (synth/oracle_file.h) looks at both sides of each
// item and answers through the same LabelingSession a person uses - the better side, or "Same"
// when the oracle finds no winner - and with probability errorRate answers one of the two other
// choices instead, drawn at random. The annotator is registered as simulated before its first
// verdict, so the GSB reports, agreement tables and human labels leave it out unless asked.
//
// Usage:
//   SimulationReport r = simulateAnnotator(ws, {.study = "round 1", .annotator = "sim-10"});
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace rd::store {
class Workspace;
}

namespace rd::label {

struct SimulatedAnnotatorOptions {
    std::string study;
    std::string annotator = "simulated";
    double errorRate = 0.1; // the share of verdicts replaced by a wrong one
    std::uint64_t seed = 1;
    int maxItems = 0; // items to answer in this call at most; 0: every item left
};

struct SimulationReport {
    int judged = 0;         // verdicts given in this call
    int wrongOnPurpose = 0; // verdicts the error rate changed
    int oracleSame = 0;     // items where the oracle saw no winner
    int remaining = 0;      // items the annotator has not answered yet
};

// progress(done, total) after each verdict; returning false stops (what was judged stays).
// Throws rd::Error: an unknown study, an error rate outside [0, 1], a prompt the oracle cannot
// read (not ShapeWorld's), a name that already judged as a person, a media file unreadable.
SimulationReport simulateAnnotator(store::Workspace& workspace,
                                   const SimulatedAnnotatorOptions& options,
                                   const std::function<bool(int, int)>& progress = {});

} // namespace rd::label
