// The names of a job's events (its JSON lines on stdout) and metrics (the workspace's metrics
// table), written by the trainers and read by the studio's job queue, Runs view and Results
// tables and by rdance's terminal output: listed once, so that no reader is left behind by a
// rename. A run's per-kind or per-category metrics append the kind to a prefix
// (kValAccuracyOf + "location").
#pragma once

namespace rd::jobs {

namespace events {
inline constexpr char kStart[] = "start";
inline constexpr char kProgress[] = "progress";     // step, steps, fraction, loss, ...
inline constexpr char kValidation[] = "validation"; // step, report
inline constexpr char kDone[] = "done";             // the run's last line when it finished
inline constexpr char kPaused[] = "paused";         // ... when it was cancelled (resumable)
inline constexpr char kThreads[] = "threads"; // step, threads: the free cores changed (threads 0)
} // namespace events

namespace metrics {
// Training, every step.
inline constexpr char kTrainLoss[] = "train/loss";
inline constexpr char kTrainAccuracy[] = "train/accuracy";
inline constexpr char kTrainLr[] = "train/lr";
inline constexpr char kTrainExamplesPerSecond[] = "train/examples_per_s";
inline constexpr char kTrainThreads[] = "train/threads"; // when the count changed (threads 0)
// Validation while training.
inline constexpr char kVal[] = "val/"; // + a validation report's field (consistency, loss, ...)
inline constexpr char kValAccuracy[] = "val/accuracy";
inline constexpr char kValAccuracyOf[] = "val/accuracy/"; // + a grounding question kind
inline constexpr char kValAlignment[] = "val/alignment";
inline constexpr char kValAlignmentOf[] = "val/alignment/"; // + a prompt category
inline constexpr char kValDiversity[] = "val/diversity";
// ReFL (Figure 5: reward mean, std and the window variance).
inline constexpr char kReflRewardMean[] = "refl/reward_mean";
inline constexpr char kReflRewardStd[] = "refl/reward_std";
inline constexpr char kReflRewardWindowVariance[] = "refl/reward_window_variance";
inline constexpr char kReflLoss[] = "refl/loss";
inline constexpr char kReflSftLoss[] = "refl/sft_loss";
// An RM evaluation run (`rdance rm eval`).
inline constexpr char kEval[] = "eval/"; // + an evaluation report's field
inline constexpr char kEvalAccuracy[] = "eval/accuracy";
inline constexpr char kEvalPairs[] = "eval/pairs";
// What an RM training run trained on.
inline constexpr char kDataHumanLabelledPairs[] = "data/human_labelled_pairs";
} // namespace metrics

} // namespace rd::jobs
