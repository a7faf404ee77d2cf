#include "synth/pair_verdict.h"

#include <cstdlib>

namespace rd::synth {

namespace {

bool sameFailures(const Judgement& a, const Judgement& b) {
    if (a.constraints.size() != b.constraints.size())
        return false;
    for (size_t i = 0; i < a.constraints.size(); ++i)
        if (a.constraints[i].met != b.constraints[i].met)
            return false;
    return true;
}

// A slip a careful look is needed to see.
bool subtle(const PromptSpec& spec, const Judgement& j, const ConstraintResult& c) {
    switch (c.kind) {
    case ConstraintKind::Count:
        return std::abs(c.observedCount - spec.groups[0].count) == 1;
    case ConstraintKind::Relation:
        return true;
    case ConstraintKind::Motion: // the objects are right, only their motion is not
        return j.constraints.front().met;
    case ConstraintKind::GroupPresent:
        // A colour slip on an object that is there (colour attribution swaps).
        return spec.category == Category::ColorAttr && c.observedCount == 0 &&
               j.constraints[static_cast<size_t>(c.group) * 2].met;
    case ConstraintKind::ShapePresent:
        return false;
    }
    return false;
}

} // namespace

const char* name(Winner w) {
    switch (w) {
    case Winner::First:
        return "first";
    case Winner::Second:
        return "second";
    case Winner::Tie:
        return "tie";
    }
    return "";
}

const char* name(Difficulty d) {
    switch (d) {
    case Difficulty::Easy:
        return "easy";
    case Difficulty::Medium:
        return "medium";
    case Difficulty::Hard:
        return "hard";
    }
    return "";
}

std::optional<Winner> decideWinner(const Judgement& first, const Judgement& second) {
    if (first.satisfied && second.satisfied)
        return Winner::Tie;
    if (first.satisfied != second.satisfied)
        return first.satisfied ? Winner::First : Winner::Second;
    if (sameFailures(first, second))
        return Winner::Tie;
    if (first.score != second.score)
        return first.score > second.score ? Winner::First : Winner::Second;
    return std::nullopt;
}

Difficulty pairDifficulty(const PromptSpec& spec, const Judgement& first, const Judgement& second) {
    const auto winner = decideWinner(first, second);
    if (!winner || *winner == Winner::Tie)
        return Difficulty::Hard;
    const Judgement& loser = *winner == Winner::First ? second : first;
    const Judgement& better = *winner == Winner::First ? first : second;
    bool allSubtle = true;
    for (const ConstraintResult& c : loser.constraints)
        if (!c.met && !subtle(spec, loser, c))
            allSubtle = false;
    if (allSubtle)
        return Difficulty::Hard;
    return better.score - loser.score >= 0.5 ? Difficulty::Easy : Difficulty::Medium;
}

} // namespace rd::synth
