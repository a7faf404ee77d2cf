// Runs one of the Python baselines in bench/python (Debian's python3-torch) and reads the one
// JSON object it prints. Shared by the benchmarks that compare the engine with PyTorch.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rd::bench {

// python: the interpreter; scriptDir: bench/python (empty: the source tree's); script: the file
// in it. Arguments are passed quoted. Throws rd::Error with the command and its output on failure.
nlohmann::json runPythonBaseline(const std::string& python, const std::string& scriptDir,
                                 const std::string& script, const std::vector<std::string>& args);

} // namespace rd::bench
