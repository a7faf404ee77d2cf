#include "eval/gsb_statistics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace rd::eval {

namespace {

double scoreOf(int good, int same, int bad) {
    const int n = good + same + bad;
    return n ? static_cast<double>(good - bad) / n : 0.0;
}

// P(X = k) for X ~ Binomial(n, 1/2), through logs so large n stay finite.
double binomialHalf(int k, int n) {
    return std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) -
                    n * std::log(2.0));
}

} // namespace

double signTestPValue(int successes, int trials) {
    if (trials <= 0)
        return 1.0;
    double lower = 0.0, upper = 0.0;
    for (int k = 0; k <= trials; ++k) {
        const double p = binomialHalf(k, trials);
        if (k <= successes)
            lower += p;
        if (k >= successes)
            upper += p;
    }
    return std::min(1.0, 2.0 * std::min(lower, upper));
}

GsbSummary summarizeGsb(const std::vector<GsbVerdict>& verdicts, int resamples,
                        std::uint64_t seed) {
    GsbSummary s;
    struct Counts {
        int good = 0, same = 0, bad = 0;
    };
    std::map<std::string, Counts> byCluster;
    for (const GsbVerdict& v : verdicts) {
        Counts& c = byCluster[v.cluster];
        (v.verdict == Gsb::Good ? c.good : v.verdict == Gsb::Bad ? c.bad : c.same) += 1;
        (v.verdict == Gsb::Good ? s.good : v.verdict == Gsb::Bad ? s.bad : s.same) += 1;
    }
    s.score = scoreOf(s.good, s.same, s.bad);
    s.signTestP = signTestPValue(s.good, s.good + s.bad);
    s.ciLow = s.ciHigh = s.score;
    if (byCluster.size() < 2 || resamples < 1)
        return s;
    std::vector<Counts> clusters;
    for (const auto& [name, counts] : byCluster)
        clusters.push_back(counts);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<size_t> pick(0, clusters.size() - 1);
    std::vector<double> scores;
    scores.reserve(static_cast<size_t>(resamples));
    for (int r = 0; r < resamples; ++r) {
        int g = 0, sm = 0, b = 0;
        for (size_t i = 0; i < clusters.size(); ++i) {
            const Counts& c = clusters[pick(rng)];
            g += c.good;
            sm += c.same;
            b += c.bad;
        }
        scores.push_back(scoreOf(g, sm, b));
    }
    std::sort(scores.begin(), scores.end());
    auto quantile = [&](double q) {
        const double at = q * (scores.size() - 1);
        const auto lo = static_cast<size_t>(std::floor(at));
        const size_t hi = std::min(lo + 1, scores.size() - 1);
        return scores[lo] + (at - lo) * (scores[hi] - scores[lo]);
    };
    s.ciLow = quantile(0.025);
    s.ciHigh = quantile(0.975);
    return s;
}

} // namespace rd::eval
