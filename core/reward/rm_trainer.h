// One trainer for the three RM paradigms and the grounding stage (issue "RM engine II"):
// - pairwise generative (the paper's RM): next-token cross-entropy over the answer and rationale
//   tokens, decision-first and/or reasoning-first (§3.2.1), both image orders of every pair;
// - pointwise generative: Bradley-Terry on the two images' yes/no log-odds + a small CE (§3.2.3);
// - pointwise regressive: a scalar head with Bradley-Terry (Eq. 1), Rao-Kupper for ties;
// - grounding: captions and yes/no questions on single images, the small backbones' pretraining.
// AdamW, warm-up + cosine, clipping, accumulation; deterministic for a seed; validation every K
// steps on pairs held out of the training split, early stopping; the best model (or the last,
// without validation) is the checkpoint. The resumable state (weights, optimizer, step) is
// replaced crash-safely every checkpoint_every steps, and resume continues to the same result as
// an uninterrupted run.
//
// Usage:
//   RmTrainSpec spec = readRmTrainSpec("job.json");
//   RmTrainResult r = trainRewardModel(*ws, spec, &std::cout, {});
#pragma once

#include "jobs/train_control.h"
#include "reward/train_spec.h"
#include "store/records.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <iosfwd>

namespace rd::store {
class Workspace;
}

namespace rd::reward {

using TrainControl = jobs::TrainControl;

struct RmTrainResult : jobs::RunOutcome {
    std::filesystem::path checkpoint;
    nlohmann::json validation; // the best validation report (null without validation)
};

RmTrainResult trainRewardModel(store::Workspace& workspace, const RmTrainSpec& spec,
                               std::ostream* events, const TrainControl& control = {});

} // namespace rd::reward
