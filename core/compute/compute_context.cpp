#include "compute/compute_context.h"

#include "common/error.h"
#include "compute/machine_load.h"

#include <torch/torch.h>

#include <thread>

namespace rd::compute {

ComputeContext defaultContext() {
    return ComputeContext{};
}

int configureThreads(const ComputeContext& ctx) {
    int threads = ctx.threads;
    if (threads <= 0) // one per core that no other process keeps busy (machine_load.h)
        threads =
            threadsForFreeCores(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())),
                                otherRunningTasks());
    torch::set_num_threads(threads);
    return torch::get_num_threads();
}

bool cudaAvailable() {
    return torch::cuda::is_available();
}

void validateDevice(const std::string& device) {
    torch::Device parsed(torch::kCPU);
    try {
        parsed = torch::Device(device);
    } catch (const std::exception&) {
        throw Error(ErrorKind::InvalidArgument,
                    "device '" + device + "': not a device name (use cpu, cuda or cuda:N)");
    }
    if (parsed.is_cuda() && !torch::cuda::is_available())
        throw Error(ErrorKind::Unsupported,
                    "device '" + device + "': this LibTorch has no CUDA or sees no GPU");
}

} // namespace rd::compute
