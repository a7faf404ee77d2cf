// Rectified-flow matching, the generator's training objective and samplers. The path from a clean
// image x0 (t = 0) to Gaussian noise (t = 1) is straight: x_t = (1 - t) x0 + t noise, and the
// network learns its velocity noise - x0. Sampling integrates that velocity from t = 1 to 0
// (Euler, or Heun's second-order method); classifier-free guidance mixes the conditional and the
// unconditional velocity. ReFL and Search over Paths reuse the pieces: one step, the clean
// estimate x0 = x_t - t v, and re-noising a clean estimate to a later time.
//
// Usage:
//   at::Tensor loss = flowMatchingLoss(velocityOf, x0, noise, t);
//   at::Tensor x = integrate(velocityOf, noise, timeGrid(30), Sampler::Heun);
#pragma once

#include "diffusion/time_sampling.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rd::diffusion {

// v(x, t): the velocity at x [B, ...] and times t [B].
using VelocityFn = std::function<at::Tensor(const at::Tensor& x, const at::Tensor& t)>;

enum class Sampler { Euler = 1, Heun };
Sampler parseSampler(const std::string& name); // "euler", "heun"; throws naming both

// t drawn as time_sampling.h says.
at::Tensor sampleTimes(int64_t count, TimeSampling how, const at::Tensor& like);

at::Tensor interpolate(const at::Tensor& x0, const at::Tensor& noise, const at::Tensor& t);
// Mean squared error between v(x_t, t) and noise - x0.
at::Tensor flowMatchingLoss(const VelocityFn& velocity, const at::Tensor& x0,
                            const at::Tensor& noise, const at::Tensor& t);

// steps + 1 times from `from` down to `to`, evenly spaced.
std::vector<double> timeGrid(int steps, double from = 1.0, double to = 0.0);
// One step of the ODE from time t to tNext (< t).
at::Tensor step(const VelocityFn& velocity, const at::Tensor& x, double t, double tNext,
                Sampler sampler);
// Integrates along the grid; returns the state at grid.back().
at::Tensor integrate(const VelocityFn& velocity, const at::Tensor& x,
                     const std::vector<double>& grid, Sampler sampler);
// The clean image the velocity points at: x_t - t v.
at::Tensor predictClean(const at::Tensor& x, double t, const at::Tensor& v);
// A clean estimate moved back out to time t along fresh noise (Search over Paths' re-noising).
at::Tensor renoise(const at::Tensor& x0, const at::Tensor& noise, double t);

// Classifier-free guidance: v_u + scale (v_c - v_u); scale 1 is the conditional model alone.
at::Tensor guide(const at::Tensor& conditional, const at::Tensor& unconditional, double scale);

} // namespace rd::diffusion
