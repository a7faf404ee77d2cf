// The training losses of the three paradigms (paper §3.2, DESIGN "The RewardDance RM").
// Tensors in, a scalar tensor out; every loss is a mean over its rows.
#pragma once

#include <ATen/core/Tensor.h>

namespace rd::reward {

// Generative paradigms: next-token cross-entropy over the answer and rationale tokens.
// logits [N, V] at the predicting positions, targets [N] (token ids), weights [N] (e.g. the
// decision token weighted against the rationale); the weighted mean of -log p(target).
at::Tensor tokenCrossEntropy(const at::Tensor& logits, const at::Tensor& targets,
                             const at::Tensor& weights);

// Bradley-Terry (Eq. 1): mean of -log sigma(r_w - r_l) over preference pairs.
at::Tensor bradleyTerry(const at::Tensor& chosen, const at::Tensor& rejected);

// Bradley-Terry with ties (Rao & Kupper 1967) for a tie parameter theta > 1:
//   P(a beats b) = sigma(d - log theta),  d = r_a - r_b
//   P(tie)       = (theta^2 - 1) sigma(d - log theta) sigma(-d - log theta)
// tie [B] (bool): the pair is a tie; otherwise a is the preferred one. Mean negative
// log-likelihood over all pairs.
at::Tensor bradleyTerryWithTies(const at::Tensor& a, const at::Tensor& b, const at::Tensor& tie,
                                double theta);

// Pointwise generative (paper §3.2.3): Bradley-Terry on the two scores of a pair (the yes/no
// log-odds of each image) plus ceWeight x the cross-entropy of "yes" for the preferred and "no"
// for the rejected image. Log-probabilities over the full vocabulary at the answer position:
// chosenLogProbs, rejectedLogProbs [B, V].
at::Tensor pointwiseGenerativeLoss(const at::Tensor& chosenLogProbs,
                                   const at::Tensor& rejectedLogProbs, int64_t yesId, int64_t noId,
                                   double ceWeight);

// The pointwise score the loss ranks: log P(yes) - log P(no).
at::Tensor yesNoLogOdds(const at::Tensor& logProbs, int64_t yesId, int64_t noId);

} // namespace rd::reward
