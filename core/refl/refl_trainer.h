// ReFL fine-tuning of the generator with a reward model (paper §3.3.1, after ImageReward's
// ReFL): each step samples the batch's prompts without gradients down to a step chosen uniformly
// among the last grad_window sampling steps, takes one guided step with gradients to the clean
// estimate x0 = x_t - t v, scores it with the frozen RM and descends on
// reward_scale x relu(margin - reward) + sft_weight x the flow-matching loss on real renders.
// A pairwise RM compares the candidate with the prompt's Best-of-N reference (best_of_n.h); a
// pointwise RM scores it alone; a regressive RM gives its scalar. Every step logs the batch's
// reward mean and standard deviation and the variance in a sliding window of iterations (the
// reward-hacking signal of Figure 5); the oracle's alignment on held-out prompts every
// eval_every steps. Checkpoints and --resume as for RM training.
//
// Usage:
//   ReflResult r = trainRefl(*ws, readReflSpec("refl.json"), &std::cout);
#pragma once

#include "jobs/train_control.h"
#include "refl/refl_spec.h"
#include "store/records.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>

namespace rd::store {
class Workspace;
}

namespace rd::refl {

using ReflControl = jobs::TrainControl;

struct ReflResult : jobs::RunOutcome {
    std::filesystem::path generator;
    double windowVariance = 0.0;   // of the last variance_window iterations at the end
    nlohmann::json lastEvaluation; // the last alignment report (null without evaluation)
};

ReflResult trainRefl(store::Workspace& workspace, const ReflSpec& spec, std::ostream* events,
                     const ReflControl& control = {});

} // namespace rd::refl
