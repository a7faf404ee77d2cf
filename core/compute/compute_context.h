// The compute context every engine call takes from its caller: which device, how many threads.
//
// Usage: rd::compute::ComputeContext ctx = rd::compute::defaultContext();
//        rd::compute::configureThreads(ctx);  // once at start-up
// Library code never picks a device itself (no .cuda() calls): it uses ctx.device.
#pragma once

#include <string>

namespace rd::compute {

struct ComputeContext {
    std::string device = "cpu"; // a LibTorch device string: "cpu", "cuda", "cuda:1"
    int threads = 0;            // intra-op threads; 0 = one per core not kept busy by others
};

ComputeContext defaultContext();

// LibTorch on Debian starts with one intra-op thread; set it from ctx.threads, or for 0 from the
// cores that no other process keeps busy now (compute/machine_load.h).
// Returns the thread count in force afterwards.
int configureThreads(const ComputeContext& ctx);

// Throws rd::Error(InvalidArgument) for a device string LibTorch cannot parse, and
// rd::Error(Unsupported) for a CUDA device when this LibTorch was built without CUDA.
void validateDevice(const std::string& device);

bool cudaAvailable();

} // namespace rd::compute
