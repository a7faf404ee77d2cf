#include "reward/losses.h"

#include "common/error.h"

#include <torch/torch.h>

#include <cmath>

namespace rd::reward {

namespace F = torch::nn::functional;

at::Tensor tokenCrossEntropy(const at::Tensor& logits, const at::Tensor& targets,
                             const at::Tensor& weights) {
    const at::Tensor perToken = F::cross_entropy(
        logits.to(torch::kFloat32), targets, F::CrossEntropyFuncOptions().reduction(torch::kNone));
    const at::Tensor w = weights.to(torch::kFloat32);
    return (perToken * w).sum() / w.sum().clamp_min(1e-12);
}

at::Tensor bradleyTerry(const at::Tensor& chosen, const at::Tensor& rejected) {
    return -F::logsigmoid(chosen - rejected).mean();
}

at::Tensor bradleyTerryWithTies(const at::Tensor& a, const at::Tensor& b, const at::Tensor& tie,
                                double theta) {
    if (!(theta > 1.0))
        throw Error(ErrorKind::InvalidArgument, "the ties parameter theta must be above 1");
    const double logTheta = std::log(theta);
    const at::Tensor d = a - b;
    const at::Tensor win = F::logsigmoid(d - logTheta);
    const at::Tensor draw = std::log(theta * theta - 1.0) + win + F::logsigmoid(-d - logTheta);
    return -torch::where(tie, draw, win).mean();
}

at::Tensor yesNoLogOdds(const at::Tensor& logProbs, int64_t yesId, int64_t noId) {
    return logProbs.select(-1, yesId) - logProbs.select(-1, noId);
}

at::Tensor pointwiseGenerativeLoss(const at::Tensor& chosenLogProbs,
                                   const at::Tensor& rejectedLogProbs, int64_t yesId, int64_t noId,
                                   double ceWeight) {
    const at::Tensor bt = bradleyTerry(yesNoLogOdds(chosenLogProbs, yesId, noId),
                                       yesNoLogOdds(rejectedLogProbs, yesId, noId));
    const at::Tensor ce =
        -(chosenLogProbs.select(-1, yesId).mean() + rejectedLogProbs.select(-1, noId).mean()) / 2.0;
    return bt + ceWeight * ce;
}

} // namespace rd::reward
