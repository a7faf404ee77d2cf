#include "compute/matmul_peak.h"

#include <torch/torch.h>

#include <chrono>

namespace rd::compute {

namespace {

void synchronize(const torch::Device& device) {
    if (device.is_cuda())
        torch::cuda::synchronize(device.index() < 0 ? 0 : device.index());
}

} // namespace

MatmulPeak measureMatmulPeak(const ComputeContext& ctx, int size, double minSeconds) {
    torch::NoGradGuard noGrad;
    const torch::Device device(ctx.device);
    auto options = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    torch::Tensor a = torch::randn({size, size}, options);
    torch::Tensor b = torch::randn({size, size}, options);
    torch::Tensor c = torch::matmul(a, b); // warm-up: allocations, BLAS thread pool start
    synchronize(device);

    MatmulPeak peak;
    peak.size = size;
    const auto start = std::chrono::steady_clock::now();
    do {
        c = torch::matmul(a, b);
        synchronize(device);
        ++peak.iterations;
        peak.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (peak.seconds < minSeconds);
    const double flops = 2.0 * size * static_cast<double>(size) * size * peak.iterations;
    peak.gflops = flops / peak.seconds / 1e9;
    return peak;
}

} // namespace rd::compute
