#include "python_baseline.h"

#include "common/error.h"

#include <csignal>
#include <cstdio>

#include <sys/wait.h>
#include <unistd.h>

namespace rd::bench {

namespace {

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string scriptPath(const std::string& scriptDir, const std::string& script) {
    const std::string folder =
        scriptDir.empty() ? std::string(RD_SOURCE_DIR) + "/bench/python" : scriptDir;
    return folder + "/" + script;
}

std::string shellCommand(const std::string& python, const std::string& path,
                         const std::vector<std::string>& args) {
    std::string command = quoted(python) + " " + quoted(path);
    for (const std::string& a : args)
        command += " " + quoted(a);
    return command;
}

} // namespace

nlohmann::json runPythonBaseline(const std::string& python, const std::string& scriptDir,
                                 const std::string& script, const std::vector<std::string>& args) {
    const std::string command = shellCommand(python, scriptPath(scriptDir, script), args);
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

PythonWorker::PythonWorker(const std::string& python, const std::string& scriptDir,
                           const std::string& script, const std::vector<std::string>& args) {
    // A worker that dies must be an error here, not a SIGPIPE that ends the benchmark.
    std::signal(SIGPIPE, SIG_IGN);
    const std::string path = scriptPath(scriptDir, script);
    m_command = shellCommand(python, path, args);
    int toChild[2], fromChild[2];
    if (pipe(toChild) != 0 || pipe(fromChild) != 0)
        throw Error(ErrorKind::Internal, "cannot make pipes for " + m_command);
    std::vector<std::string> argv = {python, path};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cArgv;
    for (std::string& a : argv)
        cArgv.push_back(a.data());
    cArgv.push_back(nullptr);
    m_pid = fork();
    if (m_pid == 0) {
        dup2(toChild[0], STDIN_FILENO);
        dup2(fromChild[1], STDOUT_FILENO);
        for (int fd : {toChild[0], toChild[1], fromChild[0], fromChild[1]})
            close(fd);
        execvp(cArgv[0], cArgv.data());
        _exit(127);
    }
    close(toChild[0]);
    close(fromChild[1]);
    if (m_pid < 0) {
        close(toChild[1]);
        close(fromChild[0]);
        throw Error(ErrorKind::Internal, "cannot start " + m_command);
    }
    m_toWorker = fdopen(toChild[1], "w");
    m_fromWorker = fdopen(fromChild[0], "r");
    m_ready = readLine();
}

PythonWorker::~PythonWorker() {
    if (m_toWorker)
        std::fclose(m_toWorker); // end of input: the worker exits
    if (m_fromWorker)
        std::fclose(m_fromWorker);
    if (m_pid > 0)
        waitpid(m_pid, nullptr, 0);
}

nlohmann::json PythonWorker::run() {
    if (std::fputs("run\n", m_toWorker) < 0 || std::fflush(m_toWorker) != 0)
        throw Error(ErrorKind::Internal, "the Python baseline stopped (" + m_command + ")");
    return readLine();
}

nlohmann::json PythonWorker::readLine() {
    std::string line;
    int c;
    while ((c = std::fgetc(m_fromWorker)) != EOF && c != '\n')
        line += static_cast<char>(c);
    if (line.empty())
        throw Error(ErrorKind::Internal,
                    "the Python baseline stopped without an answer (" + m_command + ")");
    try {
        return nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error&) {
        throw Error(ErrorKind::Internal,
                    "the Python baseline printed no JSON (" + m_command + "): " + line);
    }
}

} // namespace rd::bench
