#include "python_baseline.h"

#include "common/error.h"

#include <cstdio>

namespace rd::bench {

namespace {

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

nlohmann::json runPythonBaseline(const std::string& python, const std::string& scriptDir,
                                 const std::string& script, const std::vector<std::string>& args) {
    const std::string folder =
        scriptDir.empty() ? std::string(RD_SOURCE_DIR) + "/bench/python" : scriptDir;
    std::string command = quoted(python) + " " + quoted(folder + "/" + script);
    for (const std::string& a : args)
        command += " " + quoted(a);
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        throw Error(ErrorKind::Internal, "cannot run " + python);
    std::string output;
    char buffer[4096];
    while (size_t got = std::fread(buffer, 1, sizeof buffer, pipe))
        output.append(buffer, got);
    if (pclose(pipe) != 0)
        throw Error(ErrorKind::Internal, "the Python baseline failed (" + command + "): " + output);
    try {
        return nlohmann::json::parse(output);
    } catch (const nlohmann::json::parse_error&) {
        throw Error(ErrorKind::Internal,
                    "the Python baseline printed no JSON (" + command + "): " + output);
    }
}

} // namespace rd::bench
