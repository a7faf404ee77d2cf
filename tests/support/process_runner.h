// Runs a program to completion for the CLI tests: exit code (-1 when it crashed or timed out),
// stdout and stderr.
#pragma once

#include <QString>
#include <QStringList>

#include <filesystem>
#include <string>

namespace rd::test {

struct ProcessResult {
    int exitCode = -1;
    std::string out, err;
};

ProcessResult runProcess(const QString& program, const QStringList& args, int timeoutMs);

inline QString qpath(const std::filesystem::path& path) {
    return QString::fromStdString(path.string());
}

} // namespace rd::test
