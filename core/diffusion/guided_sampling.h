// Sampling images from the generator with classifier-free guidance: the conditional and the
// unconditional (null-prompt) velocities come from one batched forward pass.
//
// Usage:
//   VelocityFn v = guidedVelocity(net, tokens, 3.0);
//   at::Tensor images = sampleImages(net, tokens, noise, {30, Sampler::Heun, 3.0});  // [-1, 1]
#pragma once

#include "diffusion/flow_generator.h"
#include "diffusion/flow_matching.h"

namespace rd::diffusion {

struct SampleOptions {
    int steps = 30;
    Sampler sampler = Sampler::Euler;
    double guidance = 3.0; // 1: no guidance (the conditional model alone)
};

// [batch, length] tokens of the empty prompt: the null token, then padding.
at::Tensor nullPromptTokens(const GeneratorConfig& config, int64_t batch, int64_t length,
                            c10::Device device);

// The velocity for prompts `tokens` [B, L], guided by `guidance` (one forward of 2B rows when
// guidance != 1). The prompts are encoded once, here.
VelocityFn guidedVelocity(FlowGenerator& net, const at::Tensor& tokens, double guidance);

// Integrates from noise [B, 3, S, S] (t = 1) to t = 0; the result is clamped to [-1, 1].
// Runs without gradients.
at::Tensor sampleImages(FlowGenerator& net, const at::Tensor& tokens, const at::Tensor& noise,
                        const SampleOptions& options);

} // namespace rd::diffusion
