#include "diffusion/flow_matching.h"

#include "common/error.h"

#include <torch/torch.h>

namespace rd::diffusion {

namespace {

// t as a [B, 1, 1, ...] tensor that broadcasts against x.
at::Tensor broadcastTime(const at::Tensor& t, const at::Tensor& x) {
    std::vector<int64_t> shape(static_cast<size_t>(x.dim()), 1);
    shape[0] = x.size(0);
    return t.to(x.scalar_type()).reshape(shape);
}

at::Tensor timesLike(const at::Tensor& x, double t) {
    return torch::full({x.size(0)}, t, x.options());
}

} // namespace

Sampler parseSampler(const std::string& name) {
    if (name == "euler")
        return Sampler::Euler;
    if (name == "heun")
        return Sampler::Heun;
    throw Error(ErrorKind::InvalidArgument, "unknown sampler '" + name + "' (euler or heun)");
}

at::Tensor sampleTimes(int64_t count, TimeSampling how, const at::Tensor& like) {
    const auto options = like.options().dtype(torch::kFloat32);
    if (how == TimeSampling::LogitNormal)
        return torch::sigmoid(torch::randn({count}, options));
    return torch::rand({count}, options).clamp(1e-4, 1.0 - 1e-4);
}

at::Tensor interpolate(const at::Tensor& x0, const at::Tensor& noise, const at::Tensor& t) {
    const at::Tensor tt = broadcastTime(t, x0);
    return (1 - tt) * x0 + tt * noise;
}

at::Tensor flowMatchingLoss(const VelocityFn& velocity, const at::Tensor& x0,
                            const at::Tensor& noise, const at::Tensor& t) {
    const at::Tensor predicted = velocity(interpolate(x0, noise, t), t);
    return torch::mse_loss(predicted, noise - x0);
}

std::vector<double> timeGrid(int steps, double from, double to) {
    if (steps <= 0)
        throw Error(ErrorKind::InvalidArgument, "sampling needs at least one step");
    std::vector<double> grid;
    for (int i = 0; i <= steps; ++i)
        grid.push_back(from + (to - from) * i / steps);
    return grid;
}

at::Tensor step(const VelocityFn& velocity, const at::Tensor& x, double t, double tNext,
                Sampler sampler) {
    const double dt = tNext - t;
    const at::Tensor v = velocity(x, timesLike(x, t));
    const at::Tensor euler = x + dt * v;
    if (sampler == Sampler::Euler)
        return euler;
    // Heun: average the slopes at both ends of the Euler step.
    const at::Tensor vNext = velocity(euler, timesLike(x, tNext));
    return x + dt * 0.5 * (v + vNext);
}

at::Tensor integrate(const VelocityFn& velocity, const at::Tensor& x,
                     const std::vector<double>& grid, Sampler sampler) {
    at::Tensor state = x;
    for (size_t i = 0; i + 1 < grid.size(); ++i)
        state = step(velocity, state, grid[i], grid[i + 1], sampler);
    return state;
}

at::Tensor predictClean(const at::Tensor& x, double t, const at::Tensor& v) {
    return x - t * v;
}

at::Tensor renoise(const at::Tensor& x0, const at::Tensor& noise, double t) {
    return (1 - t) * x0 + t * noise;
}

at::Tensor guide(const at::Tensor& conditional, const at::Tensor& unconditional, double scale) {
    return unconditional + scale * (conditional - unconditional);
}

} // namespace rd::diffusion
