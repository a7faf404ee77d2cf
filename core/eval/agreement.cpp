#include "eval/agreement.h"

#include <cmath>

namespace rd::eval {

namespace {

// Per item with at least two ratings: how many raters chose each category.
std::vector<std::vector<int>> categoryCounts(const RatingTable& ratings, int categories) {
    std::vector<std::vector<int>> items;
    for (const auto& [item, byRater] : ratings) {
        if (byRater.size() < 2)
            continue;
        std::vector<int> counts(static_cast<size_t>(categories), 0);
        for (const auto& [rater, category] : byRater)
            if (category >= 0 && category < categories)
                ++counts[static_cast<size_t>(category)];
        items.push_back(counts);
    }
    return items;
}

int total(const std::vector<int>& counts) {
    int n = 0;
    for (int c : counts)
        n += c;
    return n;
}

// Observed agreement: the mean over items of the share of agreeing rater pairs.
double observedAgreement(const std::vector<std::vector<int>>& items) {
    double sum = 0.0;
    for (const auto& counts : items) {
        const int n = total(counts);
        double agreeing = 0.0;
        for (int c : counts)
            agreeing += c * (c - 1.0);
        sum += agreeing / (n * (n - 1.0));
    }
    return sum / static_cast<double>(items.size());
}

std::optional<double> chanceCorrected(double observed, double chance) {
    if (std::abs(1.0 - chance) < 1e-12)
        return std::nullopt;
    return (observed - chance) / (1.0 - chance);
}

} // namespace

std::optional<double> cohensKappa(const RatingTable& ratings, const std::string& a,
                                  const std::string& b, int categories) {
    std::vector<double> pa(static_cast<size_t>(categories)), pb(static_cast<size_t>(categories));
    int both = 0, agree = 0;
    for (const auto& [item, byRater] : ratings) {
        const auto ia = byRater.find(a), ib = byRater.find(b);
        if (ia == byRater.end() || ib == byRater.end())
            continue;
        ++both;
        agree += ia->second == ib->second ? 1 : 0;
        pa[static_cast<size_t>(ia->second)] += 1;
        pb[static_cast<size_t>(ib->second)] += 1;
    }
    if (both == 0)
        return std::nullopt;
    double chance = 0.0;
    for (int k = 0; k < categories; ++k)
        chance += pa[static_cast<size_t>(k)] / both * pb[static_cast<size_t>(k)] / both;
    return chanceCorrected(static_cast<double>(agree) / both, chance);
}

std::optional<double> fleissKappa(const RatingTable& ratings, int categories) {
    const auto items = categoryCounts(ratings, categories);
    if (items.empty())
        return std::nullopt;
    std::vector<double> share(static_cast<size_t>(categories));
    double all = 0.0;
    for (const auto& counts : items)
        for (int k = 0; k < categories; ++k) {
            share[static_cast<size_t>(k)] += counts[static_cast<size_t>(k)];
            all += counts[static_cast<size_t>(k)];
        }
    double chance = 0.0;
    for (double s : share)
        chance += (s / all) * (s / all);
    return chanceCorrected(observedAgreement(items), chance);
}

std::optional<double> gwetAc1(const RatingTable& ratings, int categories) {
    const auto items = categoryCounts(ratings, categories);
    if (items.empty() || categories < 2)
        return std::nullopt;
    std::vector<double> pi(static_cast<size_t>(categories));
    for (const auto& counts : items) {
        const int n = total(counts);
        for (int k = 0; k < categories; ++k)
            pi[static_cast<size_t>(k)] += static_cast<double>(counts[static_cast<size_t>(k)]) / n;
    }
    double chance = 0.0;
    for (double p : pi) {
        const double share = p / static_cast<double>(items.size());
        chance += share * (1.0 - share);
    }
    chance /= categories - 1.0;
    return chanceCorrected(observedAgreement(items), chance);
}

std::optional<double> krippendorffAlphaNominal(const RatingTable& ratings, int categories) {
    const auto items = categoryCounts(ratings, categories);
    // Coincidences: each ordered pair of values within a unit, weighted 1 / (m_u - 1).
    std::vector<double> marginal(static_cast<size_t>(categories));
    double disagreeing = 0.0, n = 0.0;
    for (const auto& counts : items) {
        const int m = total(counts);
        for (int c = 0; c < categories; ++c) {
            const double nc = counts[static_cast<size_t>(c)];
            marginal[static_cast<size_t>(c)] += nc;
            n += nc;
            for (int k = 0; k < categories; ++k)
                if (k != c)
                    disagreeing += nc * counts[static_cast<size_t>(k)] / (m - 1.0);
        }
    }
    if (n < 2)
        return std::nullopt;
    double expected = 0.0;
    for (int c = 0; c < categories; ++c)
        for (int k = 0; k < categories; ++k)
            if (k != c)
                expected += marginal[static_cast<size_t>(c)] * marginal[static_cast<size_t>(k)];
    if (expected <= 0.0)
        return std::nullopt;
    // alpha = 1 - D_o / D_e, D_o = disagreeing / n, D_e = expected / (n (n - 1)).
    return 1.0 - (n - 1.0) * disagreeing / expected;
}

} // namespace rd::eval
