#include "contention_bench.h"

#include "bench_tokenizer.h"
#include "common/error.h"
#include "compute/compute_context.h"
#include "compute/process_setup.h"
#include "rm_train_step.h"
#include "scratch_folder.h"
#include "timing.h"

#include <torch/torch.h>

#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace rd::bench {

namespace {

// A neighbour that keeps one core busy until killed: another user's job on a shared machine.
class BusyNeighbour {
public:
    BusyNeighbour() {
        m_pid = ::fork();
        if (m_pid == 0) {
            volatile unsigned long spin = 0;
            for (;;)
                spin = spin + 1;
        }
        if (m_pid < 0)
            throw Error(ErrorKind::Io, "bench contention: cannot start the busy neighbour");
        std::this_thread::sleep_for(std::chrono::milliseconds(200)); // let it take its core
    }
    ~BusyNeighbour() {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    BusyNeighbour(const BusyNeighbour&) = delete;
    BusyNeighbour& operator=(const BusyNeighbour&) = delete;

private:
    pid_t m_pid = -1;
};

} // namespace

nlohmann::json runContentionBench(const ContentionBenchOptions& o) {
    if (o.repeats < 1 || o.rounds < 1 || o.pairs < 1)
        throw Error(ErrorKind::InvalidArgument,
                    "bench contention needs --repeats, --rounds and --pairs of at least 1");
    compute::ComputeContext ctx;
    ctx.threads = o.threads;
    const int threads = compute::configureThreads(ctx); // quiet: one per core
    const ScratchFolder scratch("contention");
    writeBenchTokenizer(scratch / "tokenizer.json");
    TrainStepFixture step(o.preset, scratch / "tokenizer.json", o.pairs);
    // Quiet and busy phases alternate, so a change in the machine's load over the run touches
    // each side alike (these machines are shared). Beside the neighbour the step runs at the
    // quiet thread count, then at the count "one per free core" picks with the neighbour there.
    std::vector<double> quiet, busy, backedOff, slowdowns, backedOffSlowdowns;
    int backedOffThreads = threads;
    for (int round = 0; round < o.rounds; ++round) {
        compute::configureThreads(ctx);
        quiet.push_back(step.secondsPerStep(o.repeats));
        const BusyNeighbour neighbour;
        busy.push_back(step.secondsPerStep(o.repeats));
        slowdowns.push_back(busy.back() / quiet.back());
        if (o.threads <= 0) {
            backedOffThreads = compute::configureThreads(ctx);
            backedOff.push_back(step.secondsPerStep(o.repeats));
            backedOffSlowdowns.push_back(backedOff.back() / quiet.back());
        }
    }
    nlohmann::json result = {{"preset", o.preset},
                             {"threads", threads},
                             {"cores", static_cast<int>(std::thread::hardware_concurrency())},
                             {"omp_wait_policy", compute::openMpWaitPolicy()},
                             {"quiet_seconds_per_step", median(quiet)},
                             {"busy_seconds_per_step", median(busy)},
                             {"slowdown", median(slowdowns)}, // busy / quiet, median of rounds
                             {"slowdown_per_round", slowdowns}};
    if (o.threads <= 0) {
        result["backed_off_threads"] = backedOffThreads;
        result["backed_off_seconds_per_step"] = median(backedOff);
        result["backed_off_slowdown"] = median(backedOffSlowdowns);
    }
    return result;
}

} // namespace rd::bench
