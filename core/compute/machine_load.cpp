#include "compute/machine_load.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace rd::compute {
namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// This process's threads in state R (running or runnable), from /proc/self/task/*/stat, whose
// third field is the state (after "pid (comm)", where comm may hold spaces: read after ')').
int ownRunningThreads() {
    int running = 0;
    std::error_code error;
    for (const auto& task : fs::directory_iterator("/proc/self/task", error)) {
        const std::string stat = readText(task.path() / "stat");
        const auto close = stat.rfind(')');
        if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'R')
            ++running;
    }
    return std::max(running, 1); // the caller runs
}

} // namespace

std::optional<int> procsRunning(const std::string& procStat) {
    std::istringstream lines(procStat);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string key;
        int value = 0;
        if (words >> key && key == "procs_running" && words >> value)
            return value;
    }
    return std::nullopt;
}

int otherRunningTasks() {
    int least = -1;
    for (int sample = 0; sample < 3; ++sample) {
        if (sample > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const std::optional<int> all = procsRunning(readText("/proc/stat"));
        if (!all)
            return 0;
        const int others = std::max(0, *all - ownRunningThreads());
        least = least < 0 ? others : std::min(least, others);
    }
    return least;
}

int threadsForFreeCores(int cores, int othersRunning) {
    return std::max(1, cores - std::max(0, othersRunning));
}

} // namespace rd::compute
