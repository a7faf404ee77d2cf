// rdance-engine: self-check and benchmark of the LibTorch engine, built in every configuration
// (RD_ENGINE_ONLY too), so a GPU machine with only a PyTorch install can prove the engine runs.
//
//   rdance-engine check [--device cuda] [--threads N]
// prints one JSON object: LibTorch's view of the machine, the matmul peak, and whether a small
// least-squares fit learns on the device (autograd + optimiser end to end).
#include "common/error.h"
#include "compute/compute_context.h"
#include "compute/matmul_peak.h"
#include "compute/process_setup.h"
#include "compute/self_check.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <iostream>
#include <string>

namespace {

void usage() {
    std::cerr << "usage: rdance-engine check [--device DEVICE] [--threads N] [--size N]\n";
}

} // namespace

int main(int argc, char** argv) {
    rd::compute::preferPassiveOpenMpWaiting(argv);
    if (argc < 2 || std::strcmp(argv[1], "check") != 0) {
        usage();
        return 1;
    }
    rd::compute::ComputeContext ctx;
    int size = 1024;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) {
            usage();
            return 1;
        }
        if (arg == "--device")
            ctx.device = argv[++i];
        else if (arg == "--threads")
            ctx.threads = std::atoi(argv[++i]);
        else if (arg == "--size")
            size = std::atoi(argv[++i]);
        else {
            usage();
            return 1;
        }
    }
    try {
        rd::compute::validateDevice(ctx.device);
        const int threads = rd::compute::configureThreads(ctx);
        const auto peak = rd::compute::measureMatmulPeak(ctx, size, 1.0);
        const auto fit = rd::compute::runLearningCheck(ctx);
        nlohmann::json report = {
            {"device", ctx.device},
            {"cuda_available", rd::compute::cudaAvailable()},
            {"threads", threads},
            {"omp_wait_policy", rd::compute::openMpWaitPolicy()},
            {"matmul",
             {{"size", peak.size}, {"gflops", peak.gflops}, {"iterations", peak.iterations}}},
            {"learning_check",
             {{"initial_loss", fit.initialLoss},
              {"final_loss", fit.finalLoss},
              {"passed", fit.passed}}}};
        std::cout << report.dump(2) << std::endl;
        return fit.passed ? 0 : 2;
    } catch (const rd::Error& e) {
        std::cerr << "rdance-engine: " << e.what() << "\n";
        return e.kind() == rd::ErrorKind::Internal ? 2 : 1;
    } catch (const std::exception& e) {
        std::cerr << "rdance-engine: internal error: " << e.what() << "\n";
        return 2;
    }
}
