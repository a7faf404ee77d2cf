// How rdance talks to its caller: one JSON object per line on stdout (results and
// {"event": "progress", ...} lines a parent process or the studio can follow), errors on stderr.
#pragma once

#include <nlohmann/json.hpp>

namespace rd::cli {

// Writes the object as one line and flushes, so a parent process sees it at once.
void printJson(const nlohmann::json& object);

// Like printJson, pretty-printed (results meant for people as much as programs); at a terminal
// (TerminalOutput on) as aligned text and tables instead (result_text.h).
void printJsonPretty(const nlohmann::json& object);

} // namespace rd::cli
