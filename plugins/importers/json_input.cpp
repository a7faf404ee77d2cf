#include "json_input.h"

#include "common/atomic_file.h"
#include "common/error.h"

#include <algorithm>
#include <fstream>

namespace rd::importers {
namespace fs = std::filesystem;

std::int64_t lineOfOffset(const std::string& text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}

void forEachJsonLine(const fs::path& path,
                     const std::function<void(const nlohmann::json&, std::int64_t)>& onRow) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(fs::exists(path) ? ErrorKind::Io : ErrorKind::NotFound,
                    path.string() + ": cannot open");
    std::string line;
    std::int64_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
        if (row.is_discarded())
            throw Error(ErrorKind::Format,
                        path.string() + ":" + std::to_string(number) + ": not valid JSON");
        onRow(row, number);
    }
    if (in.bad())
        throw Error(ErrorKind::Io,
                    path.string() + ": read error after line " + std::to_string(number));
}

nlohmann::json readJsonDocument(const fs::path& path) {
    const std::string text = readWholeFile(path);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(ErrorKind::Format, path.string() + ":" +
                                           std::to_string(lineOfOffset(text, e.byte)) +
                                           ": not valid JSON: " + e.what());
    }
}

} // namespace rd::importers
