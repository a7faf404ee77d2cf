// Supervised fine-tuning (SFT) of the flow-matching generator on a workspace's ShapeWorld
// prompts (issue "Generator, ReFL ..."): rectified-flow loss, prompts dropped to the null prompt
// at cfg_dropout for classifier-free guidance, AdamW with warm-up + cosine, clipping, an EMA of
// the weights (the saved model), and the oracle's alignment on held-out prompts every
// eval_every steps. Deterministic for a seed; the resumable state is replaced crash-safely every
// checkpoint_every steps and --resume continues to the same weights as an uninterrupted run.
//
// Usage:
//   GenTrainResult r = trainGenerator(*ws, readGenTrainSpec("sft.json"), &std::cout);
#pragma once

#include "diffusion/gen_train_spec.h"
#include "jobs/train_control.h"
#include "store/records.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>

namespace rd::store {
class Workspace;
}

namespace rd::diffusion {

using GenTrainControl = jobs::TrainControl;

struct GenTrainResult : jobs::RunOutcome {
    std::filesystem::path generator;
    nlohmann::json lastEvaluation; // the last alignment report (null without evaluation)
};

class TextToImage;

// The generator in the workspace's models table (arch "flow-dit"), by name.
void registerGenerator(store::Workspace& ws, const std::string& name, TextToImage& generator,
                       const std::filesystem::path& folder);

GenTrainResult trainGenerator(store::Workspace& workspace, const GenTrainSpec& spec,
                              std::ostream* events, const GenTrainControl& control = {});

} // namespace rd::diffusion
