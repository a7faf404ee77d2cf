// Measures the machine's dense matmul throughput, the peak that model benchmarks report their
// achieved GFLOP/s against.
//
// Usage: MatmulPeak peak = measureMatmulPeak(ctx, 1024, 1.0);
#pragma once

#include "compute/compute_context.h"

namespace rd::compute {

struct MatmulPeak {
    int size = 0;         // n of the n x n x n product
    int iterations = 0;   // products timed
    double seconds = 0.0; // time spent in them
    double gflops = 0.0;  // 2 n^3 iterations / seconds / 1e9
};

// Times float32 n x n products on ctx.device for at least minSeconds (after one warm-up).
MatmulPeak measureMatmulPeak(const ComputeContext& ctx, int size, double minSeconds);

} // namespace rd::compute
