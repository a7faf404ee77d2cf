// Runs one of the Python baselines in bench/python (Debian's python3-torch) and reads the one
// JSON object it prints. Shared by the benchmarks that compare the engine with PyTorch.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include <sys/types.h>

namespace rd::bench {

// python: the interpreter; scriptDir: bench/python (empty: the source tree's); script: the file
// in it. Arguments are passed quoted. Throws rd::Error with the command and its output on failure.
nlohmann::json runPythonBaseline(const std::string& python, const std::string& scriptDir,
                                 const std::string& script, const std::vector<std::string>& args);

// A baseline kept running and stepped one turn at a time, so that the engine and PyTorch can
// alternate batch by batch: this machine's speed drifts within seconds, and rounds of whole
// processes compare moments too far apart. The script prints one JSON line when it is ready,
// then one JSON line for each "run" line it reads; it exits at the end of its input.
class PythonWorker {
public:
    PythonWorker(const std::string& python, const std::string& scriptDir, const std::string& script,
                 const std::vector<std::string>& args);
    ~PythonWorker();
    PythonWorker(const PythonWorker&) = delete;
    PythonWorker& operator=(const PythonWorker&) = delete;

    const nlohmann::json& ready() const { return m_ready; }
    nlohmann::json run(); // one turn; throws rd::Error naming the command if the worker died

private:
    nlohmann::json readLine();

    std::string m_command;
    pid_t m_pid = -1;
    FILE* m_toWorker = nullptr;
    FILE* m_fromWorker = nullptr;
    nlohmann::json m_ready;
};

} // namespace rd::bench
