// The GSB results of a study (`rdance gsb report`, the studio's Results view): verdict counts,
// the score (G - B) / (G + S + B) with its 95% bootstrap interval over prompts and the sign test
// (honeypots and repeats left out), per annotator their counts, honeypot accuracy and
// self-consistency (the same verdict on a repeated pair), and the agreement
// between annotators (Cohen's kappa for two, Fleiss' kappa, Krippendorff's alpha, Gwet's AC1),
// over people only unless asked.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace rd::store {
class Workspace;
}

namespace rd::label {

struct GsbReportOptions {
    // Count simulated annotators' verdicts (simulated_annotator.h) in the score and agreement;
    // by default they are listed, marked "simulated", and left out of both.
    bool includeSimulated = false;
};

// Also says how the study chose its pairs ("selection"; "unbiased" is false unless random) and
// how many simulated verdicts were left out. Throws rd::Error(NotFound) for an unknown study.
nlohmann::json gsbReport(store::Workspace& workspace, const std::string& study,
                         const GsbReportOptions& options = {});

} // namespace rd::label
