// A command's result object as a person at a terminal reads it (TerminalOutput is on): one
// "key  value" line per field, aligned; a nested object's fields indented under its key; an
// array of objects as a table (one row each, a column per key, padded); other arrays on one
// line. Programs (a pipe, --json) get the JSON itself (cli_output.h).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace rd::cli {

std::string resultText(const nlohmann::json& result);

} // namespace rd::cli
