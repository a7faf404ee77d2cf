// How often the oracle agrees with the ground truth: random prompts (all six categories, all
// splits), each drawn as its matching scene or as a near miss (half each), rendered, then judged
// from pixels by the oracle and from the scene by the judge. Degradations (blur, noise) show how
// the oracle holds up on imperfect images such as a generator's samples.
//
// Usage:
//   AgreementOptions o;                    // 1,000 prompts at 64 px, clean
//   o.noiseSigma = 10;
//   AgreementReport r = measureOracleAgreement(o);
//   r.agreement;                           // fraction of prompts where both verdicts match
#pragma once

#include "synth/prompt_sampler.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rd::synth {

struct AgreementOptions {
    int prompts = 1000;
    int size = 64;
    double blurSigma = 0.0;  // pixels at 64 px, scaled with size
    double noiseSigma = 0.0; // 8-bit levels
    bool texture = true;     // half the images get a textured background when true
    MediaMode mode = MediaMode::Image;
    std::uint64_t seed = 1;
};

struct CategoryAgreement {
    int items = 0;
    int agreed = 0;
};

struct AgreementReport {
    int items = 0;
    int agreed = 0;
    double agreement = 0.0;      // agreed / items
    int falseAccepts = 0;        // oracle satisfied, truth not
    int falseRejects = 0;        // truth satisfied, oracle not
    double meanScoreError = 0.0; // mean |oracle score - true score|
    std::map<std::string, CategoryAgreement> byCategory;
    std::vector<std::string> examples; // the first few disagreements, for debugging
};

AgreementReport measureOracleAgreement(const AgreementOptions& options);

struct RobustnessPoint {
    std::string condition; // "clean", "blur 1.0", "noise 10"
    double blurSigma = 0.0;
    double noiseSigma = 0.0;
    AgreementReport report;
};

// The oracle under a fixed ladder of degradations: clean; Gaussian blur sigma 0.5, 1, 1.5 px;
// noise sigma 5, 10, 20, 30 levels (at 64 px scale).
std::vector<RobustnessPoint> oracleRobustness(int prompts, int size, std::uint64_t seed);

} // namespace rd::synth
