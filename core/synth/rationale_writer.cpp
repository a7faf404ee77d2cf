#include "synth/rationale_writer.h"

#include "synth/prompt_writer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <vector>

namespace rd::synth {

namespace {

std::string joinWords(const std::vector<std::string>& parts) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0)
            out += i + 1 == parts.size() ? " and " : ", ";
        out += parts[i];
    }
    return out;
}

std::string countedPhrase(Shape shape, Color color, int count) {
    ObjectGroup g{shape, color, 1};
    if (count == 1)
        return nounPhrase(g, false);
    const std::string number = count <= kMaxCount ? numberWord(count) : std::to_string(count);
    return number + " " + name(color) + " " + plural(shape);
}

std::string groupWords(const ObjectGroup& g) {
    return g.color ? std::string(name(*g.color)) + " " + name(g.shape) : name(g.shape);
}

bool matches(const ObjectGroup& g, const ObservedObject& o) {
    return o.shape == g.shape && (!g.color || o.color == *g.color);
}

std::string medium(const PromptSpec& spec) {
    return spec.isVideo() ? "video" : "image";
}

// What the prompt asks for that this image lacks, one phrase per failed requirement.
std::vector<std::string> wants(const PromptSpec& spec, const Judgement& j,
                               const std::vector<ObservedObject>& seen) {
    std::vector<std::string> out;
    auto result = [&](ConstraintKind kind, int group) -> const ConstraintResult* {
        for (const ConstraintResult& c : j.constraints)
            if (c.kind == kind && c.group == group)
                return &c;
        return nullptr;
    };
    for (size_t i = 0; i < spec.groups.size(); ++i) {
        const ObjectGroup& g = spec.groups[i];
        const int gi = static_cast<int>(i);
        const ConstraintResult* shape = result(ConstraintKind::ShapePresent, gi);
        const ConstraintResult* group = result(ConstraintKind::GroupPresent, gi);
        const ConstraintResult* count = result(ConstraintKind::Count, gi);
        const bool counting = spec.category == Category::Counting;
        if ((shape && !shape->met) || (!shape && group && !group->met)) {
            out.push_back(nounPhrase(g, counting));
        } else if (group && !group->met) {
            out.push_back("the " + std::string(name(g.shape)) + " to be " + name(*g.color));
        } else if (count && !count->met) {
            const bool onlyThisKind = std::all_of(
                seen.begin(), seen.end(), [&](const ObservedObject& o) { return matches(g, o); });
            out.push_back(count->observedCount > 0 && onlyThisKind ? numberWord(g.count)
                                                                   : nounPhrase(g, true));
        }
    }
    for (const ConstraintResult& c : j.constraints) {
        if (c.met)
            continue;
        if (c.kind == ConstraintKind::Relation && out.empty())
            out.push_back("the " + groupWords(spec.groups[0]) + " to be " + name(*spec.relation) +
                          " the " + groupWords(spec.groups[1]));
        if (c.kind == ConstraintKind::Motion)
            out.push_back(std::string(spec.groups[0].count > 1 ? "them" : "it") + " to move " +
                          directionWords(*spec.motion));
    }
    return out;
}

std::string sentence(const PromptSpec& spec, int index, const Observation& obs,
                     const Judgement& j) {
    const std::string m = medium(spec);
    const std::string head = index == 1 ? (spec.isVideo() ? "Video 1" : "Image 1") : m + " 2";
    // With a relation to judge, where each object stands (its place in a 3x3 grid) comes first,
    // so a model that reasons before it decides can read the relation off its own description.
    std::string text =
        head + " shows " +
        describeObservation(
            spec, obs, spec.relation ? ObservationDetail::WithPlaces : ObservationDetail::Counts);
    if (j.satisfied)
        return text + ", as the prompt asks";
    const std::vector<std::string> missing =
        wants(spec, j, obs.frames.empty() ? std::vector<ObservedObject>{} : obs.frames.front());
    return text + " but the prompt asks for " + joinWords(missing);
}

} // namespace

std::string taskInstruction(const PromptSpec& spec) {
    const std::string m = medium(spec);
    std::string focus;
    switch (spec.category) {
    case Category::SingleObject:
        focus = "whether the named object appears";
        break;
    case Category::TwoObjects:
        focus = "whether both named objects appear";
        break;
    case Category::Counting:
        focus = "the number of objects";
        break;
    case Category::Colors:
        focus = "the colour of the object";
        break;
    case Category::Position:
        focus = "where the objects stand relative to each other";
        break;
    case Category::ColorAttr:
        focus = "which object has which colour";
        break;
    }
    std::string factors = "(1) Object consistency (2) Count accuracy (3) Colour accuracy "
                          "(4) Spatial relations";
    if (spec.isVideo()) {
        factors += " (5) Motion consistency";
        focus += " and the way they move";
    }
    return "You will act as a professional " + m +
           " quality evaluator. Your task is to be given "
           "two " +
           m +
           "s, both of which are generated by the same prompt, and then evaluate "
           "which " +
           m +
           " has a better generation quality. The factors to be considered "
           "include \"text-" +
           m + " alignment\": " + factors + ". Pay particular attention to " + focus + ".";
}

std::string pairQuestion(const PromptSpec& spec) {
    const std::string m = medium(spec);
    return "Is " + m + " 2 better than " + m +
           " 1? Please answer \"yes\" or \"no\", and give the detailed reason.";
}

std::string placeWords(const ObservedObject& o) {
    static const char* const kRows[] = {"top", "middle", "bottom"};
    static const char* const kColumns[] = {"left", "centre", "right"};
    const auto third = [](double v) { return std::clamp(static_cast<int>(v * 3.0), 0, 2); };
    const int row = third(o.y), column = third(o.x);
    if (row == 1)
        return kColumns[column]; // "left", "centre", "right"
    return std::string(kRows[row]) + (column == 1 ? "" : std::string(" ") + kColumns[column]);
}

std::string describeObservation(const PromptSpec& spec, const Observation& obs,
                                ObservationDetail detail) {
    const std::vector<ObservedObject> none;
    const auto& first = obs.frames.empty() ? none : obs.frames.front();
    // The prompt's shapes first, then the rest, each shape's colours in palette order.
    std::vector<Shape> order;
    for (const ObjectGroup& g : spec.groups)
        order.push_back(g.shape);
    for (Shape s : kShapes)
        if (std::find(order.begin(), order.end(), s) == order.end())
            order.push_back(s);
    std::vector<std::string> parts;
    for (Shape s : order)
        for (Color c : kColors) {
            std::vector<ObservedObject> kind;
            for (const ObservedObject& o : first)
                if (o.shape == s && o.color == c)
                    kind.push_back(o);
            if (kind.empty())
                continue;
            parts.push_back(countedPhrase(s, c, static_cast<int>(kind.size())));
            if (detail != ObservationDetail::WithPlaces)
                continue;
            // Top to bottom, then left to right.
            std::sort(kind.begin(), kind.end(), [](const auto& a, const auto& b) {
                return std::tie(a.y, a.x) < std::tie(b.y, b.x);
            });
            std::string places;
            for (const ObservedObject& o : kind)
                places += (places.empty() ? "" : ", ") + placeWords(o);
            parts.back() += " (" + places + ")";
        }
    std::string text = parts.empty() ? "an empty background" : joinWords(parts);
    if (spec.relation) {
        const ObservedObject *a = nullptr, *b = nullptr;
        for (const ObservedObject& o : first) {
            if (!a && matches(spec.groups[0], o))
                a = &o;
            if (!b && matches(spec.groups[1], o))
                b = &o;
        }
        if (a && b)
            for (Relation r : kRelations)
                if (relationHolds(r, *a, *b))
                    text += ", the " + groupWords(spec.groups[0]) + " " + name(r) + " the " +
                            groupWords(spec.groups[1]);
    }
    if (obs.frames.size() > 1 && !first.empty() && !obs.frames.back().empty()) {
        auto centre = [](const std::vector<ObservedObject>& objects) {
            double x = 0, y = 0;
            for (const auto& o : objects)
                x += o.x, y += o.y;
            return std::make_pair(x / objects.size(), y / objects.size());
        };
        const auto [x0, y0] = centre(first);
        const auto [x1, y1] = centre(obs.frames.back());
        const double dx = x1 - x0, dy = y1 - y0;
        if (std::hypot(dx, dy) < kMinTravel / 2)
            text += ", standing still";
        else if (std::abs(dx) >= std::abs(dy))
            text += std::string(", moving ") +
                    directionWords(dx > 0 ? Direction::LeftToRight : Direction::RightToLeft);
        else
            text += std::string(", moving ") +
                    directionWords(dy > 0 ? Direction::TopToBottom : Direction::BottomToTop);
    }
    return text;
}

Rationale writeRationale(const PromptSpec& spec, const Observation& image1,
                         const Observation& image2) {
    const Judgement j1 = judge(spec, image1), j2 = judge(spec, image2);
    Rationale r;
    r.winner = decideWinner(j1, j2);
    r.answerYes = r.winner == Winner::Second;
    const std::string m = medium(spec);
    const std::string capital = spec.isVideo() ? "Video" : "Image";
    std::string conclusion;
    if (!r.winner)
        conclusion =
            "Each misses the prompt in a different way, so " + m + " 2 is not clearly better.";
    else if (*r.winner == Winner::Second)
        conclusion = capital + " 2 matches the prompt better.";
    else if (*r.winner == Winner::First)
        conclusion = capital + " 1 matches the prompt better, so " + m + " 2 is not better.";
    else if (j1.satisfied)
        conclusion = "Both match the prompt, so " + m + " 2 is not better.";
    else
        conclusion = "Both miss the prompt in the same way, so " + m + " 2 is not better.";
    const std::string reasons =
        sentence(spec, 1, image1, j1) + "; " + sentence(spec, 2, image2, j2) + ".";
    const std::string answer = r.answerYes ? "yes" : "no";
    r.decisionFirst = answer + ". " + reasons + " " + conclusion;
    r.reasoningFirst = reasons + " " + conclusion + " Answer: " + answer;
    return r;
}

} // namespace rd::synth
