// GSB (Good / Same / Bad) statistics for the Results view and `rdance gsb report`:
// the score (G - B) / (G + S + B) with a 95% bootstrap interval resampled over prompts (items of
// one prompt move together), and a two-sided sign test on the non-tied verdicts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rd::eval {

enum class Gsb { Good = 1, Same, Bad };

struct GsbVerdict {
    std::string cluster; // the prompt: the bootstrap resamples these
    Gsb verdict = Gsb::Same;
};

struct GsbSummary {
    int good = 0, same = 0, bad = 0;
    double score = 0.0; // (G - B) / (G + S + B)
    double ciLow = 0.0; // 95% percentile bootstrap interval of the score
    double ciHigh = 0.0;
    double signTestP = 1.0; // two-sided, over G + B verdicts
};

// resamples: bootstrap draws (2000 by default); seed: the same seed gives the same interval.
GsbSummary summarizeGsb(const std::vector<GsbVerdict>& verdicts, int resamples = 2000,
                        std::uint64_t seed = 1);

// P-value of the two-sided sign test: k successes of n under p = 1/2.
double signTestPValue(int successes, int trials);

} // namespace rd::eval
