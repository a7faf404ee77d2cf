// Runs a program the way the robustness test needs it: stdout and stderr captured, how it ended
// (exit code or the signal that killed it) and its peak memory (max RSS, from wait4), with a
// time limit after which it is killed.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace rd::test {

struct MeasuredRun {
    int exitCode = -1; // -1 when a signal ended it
    int signal = 0;    // the signal that ended it, 0 when it exited
    bool timedOut = false;
    long maxRssKiB = 0;
    std::string out, err;
};

MeasuredRun runMeasured(const std::string& program, const std::vector<std::string>& args,
                        std::chrono::seconds timeLimit);

} // namespace rd::test
