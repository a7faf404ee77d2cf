#include "common/table.h"

#include <cstdio>

namespace rd {

std::string cellToString(const Cell& cell) {
    if (std::holds_alternative<std::int64_t>(cell))
        return std::to_string(std::get<std::int64_t>(cell));
    if (std::holds_alternative<double>(cell)) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.6g", std::get<double>(cell));
        return buffer;
    }
    if (std::holds_alternative<std::string>(cell))
        return std::get<std::string>(cell);
    return {};
}

} // namespace rd
