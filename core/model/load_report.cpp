#include "model/load_report.h"

#include "common/error.h"
#include "model/checkpoint.h"

#include <algorithm>

namespace rd::model {

namespace {

// Enough names to recognise a pattern (a wrong prefix, a missing layer) without a wall of text.
constexpr std::size_t kNamesShown = 5;

template <typename T, typename Format>
std::string listSome(const std::vector<T>& items, Format format) {
    std::string text;
    const std::size_t shown = std::min(items.size(), kNamesShown);
    for (std::size_t i = 0; i < shown; ++i)
        text += (i ? ", " : "") + format(items[i]);
    if (items.size() > shown)
        text += ", ... and " + std::to_string(items.size() - shown) + " more";
    return text;
}

} // namespace

std::string LoadReport::summary() const {
    if (ok())
        return "all " + std::to_string(matched) + " tensors present with the expected shapes";
    std::string text = std::to_string(matched) + " tensors match";
    const auto name = [](const std::string& n) { return n; };
    if (!missing.empty())
        text += "; " + std::to_string(missing.size()) + " missing: " + listSome(missing, name);
    if (!unexpected.empty())
        text +=
            "; " + std::to_string(unexpected.size()) + " unexpected: " + listSome(unexpected, name);
    if (!misshaped.empty())
        text += "; " + std::to_string(misshaped.size()) +
                " with the wrong shape: " + listSome(misshaped, [](const ShapeMismatch& m) {
                    const std::string from =
                        m.checkpointName == m.modelName ? "" : " (from " + m.checkpointName + ")";
                    return m.modelName + from + " expected " + shapeToString(m.expected) +
                           ", got " + shapeToString(m.actual);
                });
    return text;
}

void LoadReport::require(const std::string& source) const {
    if (!ok())
        throw Error(ErrorKind::Format,
                    source + ": checkpoint does not match the model: " + summary());
}

LoadReport compareShapes(const TensorShapes& expected, const TensorShapes& checkpointShapes,
                         const NameMapping& mapping) {
    LoadReport report;
    std::map<std::string, std::string> providedBy; // model name -> checkpoint name
    for (const auto& [checkpointName, shape] : checkpointShapes) {
        const std::optional<std::string> modelName =
            mapping ? mapping(checkpointName) : std::optional<std::string>(checkpointName);
        if (!modelName)
            continue;
        const auto wanted = expected.find(*modelName);
        if (wanted == expected.end() || !providedBy.emplace(*modelName, checkpointName).second) {
            report.unexpected.push_back(checkpointName);
            continue;
        }
        if (wanted->second == shape)
            ++report.matched;
        else
            report.misshaped.push_back({*modelName, checkpointName, wanted->second, shape});
    }
    for (const auto& entry : expected)
        if (!providedBy.count(entry.first))
            report.missing.push_back(entry.first);
    std::sort(
        report.misshaped.begin(), report.misshaped.end(),
        [](const ShapeMismatch& a, const ShapeMismatch& b) { return a.modelName < b.modelName; });
    return report;
}

LoadReport compareWithCheckpoint(const TensorShapes& expected, const Checkpoint& checkpoint,
                                 const NameMapping& mapping) {
    TensorShapes shapes;
    for (const TensorInfo& tensor : checkpoint.tensors())
        shapes[tensor.name] = tensor.shape;
    return compareShapes(expected, shapes, mapping);
}

} // namespace rd::model
