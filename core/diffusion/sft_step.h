// One flow-matching loss on a batch of SFT examples: the SFT trainer's step and ReFL's SFT term
// (which keeps ReFL's images from degrading). The examples are those at the data stream's
// positions step*batch ... step*batch + batch - 1, drawn from (seed, position), so a resumed run
// sees what an uninterrupted one would; prompts are dropped at `cfgDropout` so the model learns
// the unconditional velocity for classifier-free guidance.
//
// Usage:
//   const at::Tensor loss = sftBatchLoss(gen, data, stream, step, {batch, seed, 0.1, sampling});
//   loss.backward();
#pragma once

#include "diffusion/time_sampling.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace rd::jobs {
class UnitStream;
}

namespace rd::diffusion {

class SftData;
class TextToImage;

struct SftBatch {
    int size = 8;
    std::uint64_t seed = 1;  // the examples' draws, the noise and the times
    double cfgDropout = 0.0; // the share of prompts replaced by the empty prompt
    TimeSampling timeSampling = TimeSampling::LogitNormal;
};

at::Tensor sftBatchLoss(TextToImage& generator, const SftData& data, jobs::UnitStream& stream,
                        std::uint64_t step, const SftBatch& batch);

} // namespace rd::diffusion
