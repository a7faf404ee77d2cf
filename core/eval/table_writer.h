// Writes an rd::Table as CSV (RFC 4180), JSON Lines, JSON, Markdown or LaTeX (booktabs).
//
// Usage: writeTable(table, parseTableFormat("md"), std::cout);
#pragma once

#include "common/table.h"

#include <iosfwd>
#include <string>

namespace rd::eval {

enum class TableFormat { Csv = 1, Jsonl, Json, Markdown, Latex };

// "csv", "jsonl", "json", "md", "tex"; throws rd::Error(InvalidArgument) for anything else.
TableFormat parseTableFormat(const std::string& name);
// The format that a file extension implies (".md" -> Markdown), or fallback.
TableFormat formatForExtension(const std::string& extension, TableFormat fallback);

void writeTable(const Table& table, TableFormat format, std::ostream& out);

} // namespace rd::eval
