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
    const int threads = compute::configureThreads(ctx);
    const ScratchFolder scratch("contention");
    writeBenchTokenizer(scratch / "tokenizer.json");
    TrainStepFixture step(o.preset, scratch / "tokenizer.json", o.pairs);
    // Quiet and busy phases alternate, so a change in the machine's load over the run touches
    // both sides alike (these machines are shared).
    const AlternatingTimes t = timeAlternating(
        o.rounds, [&] { return step.secondsPerStep(o.repeats); },
        [&] {
            const BusyNeighbour neighbour;
            return step.secondsPerStep(o.repeats);
        });
    return {{"preset", o.preset},
            {"threads", threads},
            {"cores", static_cast<int>(std::thread::hardware_concurrency())},
            {"omp_wait_policy", compute::openMpWaitPolicy()},
            {"quiet_seconds_per_step", t.engineSeconds},
            {"busy_seconds_per_step", t.baselineSeconds},
            {"slowdown", t.ratio}, // busy / quiet, the median of the rounds' ratios
            {"slowdown_per_round", t.ratios}};
}

} // namespace rd::bench
