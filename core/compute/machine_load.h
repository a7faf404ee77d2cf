// How busy the machine is, for the thread count of "one per core" (threads 0): a LibTorch
// parallel region waits for its slowest thread, so a thread that shares a core with another
// process's busy thread slows every step. Measured on the 2-core machine, one spinning neighbour
// (`rdance bench contention --preset rd-s`): 2 threads 0.73 s a step, 1 thread 0.54 s, quiet
// 2 threads 0.38 s. So "one per core" means one per core that nobody else is using.
//
// Usage:
//   const int threads = threadsForFreeCores(cores, otherRunningTasks());
#pragma once

#include <optional>
#include <string>

namespace rd::compute {

// The runnable tasks of the whole machine in /proc/stat's text ("procs_running N"); none when
// the line is missing.
std::optional<int> procsRunning(const std::string& procStat);

// Tasks of other processes running now: /proc/stat's procs_running less this process's own
// running threads, the least of a few samples 5 ms apart (a passing blip does not count).
// 0 where /proc cannot be read.
int otherRunningTasks();

// One thread per core not taken by `othersRunning` tasks, at least one.
int threadsForFreeCores(int cores, int othersRunning);

} // namespace rd::compute
