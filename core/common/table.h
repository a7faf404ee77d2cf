// rd::Table: a plain, typed result table that exporters and the studio's result views share.
//
// Usage: Table t{{"model", "accuracy"}, {}}; t.rows.push_back({std::string("rm-s"), 0.91});
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace rd {

// A missing value (SQL NULL) is std::monostate.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<Cell>> rows;
};

std::string cellToString(const Cell& cell);

} // namespace rd
