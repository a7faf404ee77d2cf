// Strict comparison of the tensors a model expects with those a checkpoint holds, before loading:
// every model tensor must be present with its exact shape, and nothing may be left over.
//
// Usage:
//   LoadReport report = compareWithCheckpoint(model.expectedShapes(), ckpt,
//       [](const std::string& hfName) -> std::optional<std::string> {
//           if (endsWith(hfName, ".rotary_emb.inv_freq")) return std::nullopt;  // skip buffers
//           return stripPrefix(hfName, "language_model.");                     // rename
//       });
//   report.require(ckpt.path().string());   // throws rd::Error(Format) with report.summary()
//
// The mapping turns a checkpoint name into the model's name for it; nullopt means "deliberately
// ignored" (neither used nor unexpected). Without a mapping, names must match as they are. When
// two checkpoint tensors map to one model name, the first in name order is used and the others
// are reported as unexpected.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rd::model {

class Checkpoint;

using TensorShapes = std::map<std::string, std::vector<std::int64_t>>;
using NameMapping = std::function<std::optional<std::string>(const std::string& checkpointName)>;

struct ShapeMismatch {
    std::string modelName;
    std::string checkpointName;
    std::vector<std::int64_t> expected; // the model's shape
    std::vector<std::int64_t> actual;   // the checkpoint's shape
};

struct LoadReport {
    std::vector<std::string> missing;     // model names no checkpoint tensor maps to (sorted)
    std::vector<std::string> unexpected;  // checkpoint names that map to no model tensor (sorted)
    std::vector<ShapeMismatch> misshaped; // sorted by model name
    std::size_t matched = 0;              // model tensors found with the right shape

    bool ok() const { return missing.empty() && unexpected.empty() && misshaped.empty(); }
    // One paragraph for people: counts, then the first few names of each kind.
    std::string summary() const;
    // Throws rd::Error(Format) "<source>: checkpoint does not match the model: <summary>" unless
    // ok().
    void require(const std::string& source) const;
};

LoadReport compareShapes(const TensorShapes& expected, const TensorShapes& checkpointShapes,
                         const NameMapping& mapping = nullptr);

LoadReport compareWithCheckpoint(const TensorShapes& expected, const Checkpoint& checkpoint,
                                 const NameMapping& mapping = nullptr);

} // namespace rd::model
