#include "json_input.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_checks.h"
#include "common/json_text.h"
#include "text_encoding.h"

#include <fstream>

namespace rd::importers {
namespace fs = std::filesystem;

void forEachJsonLine(const fs::path& path,
                     const std::function<void(const nlohmann::json&, std::int64_t)>& onRow) {
    requireRegularFile(path);
    requireUtf8Text(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Io, path.string() + ": cannot open");
    std::string line;
    std::int64_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0)
            line.erase(0, 3); // a UTF-8 byte-order mark
        // Strict: a row that states a field twice is refused (which one was meant?).
        onRow(parseJsonText(line, path.string() + ":" + std::to_string(number)), number);
    }
    if (in.bad())
        throw Error(ErrorKind::Io,
                    path.string() + ": read error after line " + std::to_string(number));
}

nlohmann::json readJsonDocument(const fs::path& path) {
    requireUtf8Text(path);                                    // reads nothing from a non-file
    return parseJsonText(readWholeFile(path), path.string()); // readWholeFile checks the path
}

} // namespace rd::importers
