#include "result_text.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace rd::cli {

namespace {

std::string scalarText(const nlohmann::json& value) {
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_null())
        return "-";
    if (value.is_number_float()) {
        char text[32];
        std::snprintf(text, sizeof text, "%.4g", value.get<double>());
        return text;
    }
    return value.dump();
}

bool isScalar(const nlohmann::json& value) {
    return !value.is_object() && !value.is_array();
}

// An array every element of which is an object of scalars: a table.
bool isTable(const nlohmann::json& value) {
    return value.is_array() && !value.empty() &&
           std::all_of(value.begin(), value.end(), [](const nlohmann::json& row) {
               return row.is_object() && std::all_of(row.begin(), row.end(), isScalar);
           });
}

// Columns padded to their widest cell, two spaces apart, the header underlined.
std::string tableText(const nlohmann::json& rows, const std::string& indent) {
    std::vector<std::string> columns;
    for (const auto& row : rows)
        for (const auto& [key, value] : row.items())
            if (std::find(columns.begin(), columns.end(), key) == columns.end())
                columns.push_back(key);
    std::vector<std::vector<std::string>> cells = {columns, {}};
    for (const auto& row : rows) {
        cells.emplace_back();
        for (const std::string& column : columns)
            cells.back().push_back(row.contains(column) ? scalarText(row[column]) : "-");
    }
    std::vector<size_t> width(columns.size(), 0);
    for (const auto& line : cells)
        for (size_t c = 0; c < line.size(); ++c)
            width[c] = std::max(width[c], line[c].size());
    for (size_t c = 0; c < columns.size(); ++c)
        cells[1].push_back(std::string(width[c], '-'));
    std::string out;
    for (const auto& line : cells) {
        std::string text = indent;
        for (size_t c = 0; c < line.size(); ++c)
            text += line[c] + (c + 1 < line.size() ? std::string(width[c] - line[c].size() + 2, ' ')
                                                   : std::string());
        out += text + "\n";
    }
    return out;
}

void write(const nlohmann::json& object, const std::string& indent, std::string& out) {
    size_t width = 0;
    for (const auto& [key, value] : object.items())
        if (isScalar(value) || (value.is_array() && !isTable(value)))
            width = std::max(width, key.size());
    for (const auto& [key, value] : object.items()) {
        if (value.is_object()) {
            out += indent + key + ":\n";
            write(value, indent + "  ", out);
        } else if (isTable(value)) {
            out += indent + key + ":\n" + tableText(value, indent + "  ");
        } else {
            std::string text;
            if (value.is_array())
                for (const auto& item : value)
                    text += (text.empty() ? "" : ", ") +
                            (isScalar(item) ? scalarText(item) : item.dump());
            else
                text = scalarText(value);
            out += indent + key + std::string(width - key.size() + 2, ' ') + text + "\n";
        }
    }
}

} // namespace

std::string resultText(const nlohmann::json& result) {
    if (isTable(result))
        return tableText(result, "");
    if (!result.is_object())
        return scalarText(result) + "\n";
    std::string out;
    write(result, "", out);
    return out;
}

} // namespace rd::cli
