// What one training step computes, per stage and paradigm (internal to the RM trainer): the
// loss of a micro-batch of training units (pairs, or images for grounding), the step's accuracy
// counts, and the validation report on the held-out units.
#pragma once

#include "reward/train_spec.h"

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::reward {

class RewardModel;

struct StepLoss {
    at::Tensor loss;
    int correct = 0; // decisions (or pair rankings) right in this micro-batch
    int judged = 0;
};

class TrainingObjective {
public:
    virtual ~TrainingObjective() = default;
    virtual size_t trainingUnits() const = 0;
    virtual size_t validationUnits() const = 0;
    // units: indices into the training units; salt varies the answer format and order choices
    // deterministically with the unit's position in the data stream.
    virtual StepLoss loss(RewardModel& rm, const std::vector<size_t>& units,
                          std::uint64_t salt) = 0;
    // {"accuracy": ..., ...} on the first evalPairs validation units.
    virtual nlohmann::json validate(RewardModel& rm) = 0;
    virtual nlohmann::json describe() const = 0; // data sizes, for the start event

    // Training-only parameters (an auxiliary head such as grounding's cell probe): optimised
    // beside the model's, kept in a resumable run's state, never in the checkpoint.
    virtual std::vector<at::Tensor> extraParameters() const { return {}; }
    virtual void saveExtra(const std::filesystem::path& /*folder*/) const {}
    virtual void loadExtra(const std::filesystem::path& /*folder*/) {}
};

// Loads the data the spec asks for (the stage, the split, the categories).
std::unique_ptr<TrainingObjective> makeObjective(store::Workspace& workspace, RewardModel& rm,
                                                 const RmTrainSpec& spec);

} // namespace rd::reward
