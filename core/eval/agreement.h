// Agreement between annotators on categorical verdicts (GSB: three categories), for the Results
// view: Cohen's kappa (two raters, items both rated), Fleiss' kappa and Gwet's AC1 (any number
// of raters per item; AC1 stays meaningful when one category, e.g. "same", dominates) and
// Krippendorff's alpha (nominal, missing ratings allowed). Items rated by fewer than two raters
// do not count.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rd::eval {

// ratings[item][rater] = category (0 .. categories - 1).
using RatingTable = std::map<std::string, std::map<std::string, int>>;

// nullopt when undefined (no item rated twice, or chance agreement of 1).
std::optional<double> cohensKappa(const RatingTable& ratings, const std::string& raterA,
                                  const std::string& raterB, int categories);
std::optional<double> fleissKappa(const RatingTable& ratings, int categories);
std::optional<double> gwetAc1(const RatingTable& ratings, int categories);
std::optional<double> krippendorffAlphaNominal(const RatingTable& ratings, int categories);

} // namespace rd::eval
