#include "eval/table_writer.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace rd::eval {

namespace {

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string markdownField(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        if (c == '|')
            escaped += "\\|";
        else if (c == '\n' || c == '\r')
            escaped += ' ';
        else
            escaped += c;
    }
    return escaped;
}

std::string latexField(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        switch (c) {
        case '&':
        case '%':
        case '$':
        case '#':
        case '_':
        case '{':
        case '}':
            escaped += '\\';
            escaped += c;
            break;
        case '~':
            escaped += "\\textasciitilde{}";
            break;
        case '^':
            escaped += "\\textasciicircum{}";
            break;
        case '\\':
            escaped += "\\textbackslash{}";
            break;
        case '\n':
        case '\r':
            escaped += ' ';
            break;
        default:
            escaped += c;
        }
    }
    return escaped;
}

nlohmann::json cellToJson(const Cell& cell) {
    if (std::holds_alternative<std::int64_t>(cell))
        return std::get<std::int64_t>(cell);
    if (std::holds_alternative<double>(cell))
        return std::get<double>(cell);
    if (std::holds_alternative<std::string>(cell))
        return std::get<std::string>(cell);
    return nullptr;
}

nlohmann::json rowToJson(const Table& table, const std::vector<Cell>& row) {
    nlohmann::json object = nlohmann::json::object();
    for (size_t c = 0; c < table.columns.size() && c < row.size(); ++c)
        object[table.columns[c]] = cellToJson(row[c]);
    return object;
}

void writeCsv(const Table& t, std::ostream& out) {
    auto line = [&](const std::vector<std::string>& fields) {
        for (size_t i = 0; i < fields.size(); ++i)
            out << (i ? "," : "") << csvField(fields[i]);
        out << "\r\n";
    };
    line(t.columns);
    for (const auto& row : t.rows) {
        std::vector<std::string> fields;
        for (const Cell& cell : row)
            fields.push_back(cellToString(cell));
        line(fields);
    }
}

void writeMarkdown(const Table& t, std::ostream& out) {
    out << "|";
    for (const auto& c : t.columns)
        out << " " << markdownField(c) << " |";
    out << "\n|";
    for (size_t i = 0; i < t.columns.size(); ++i)
        out << " --- |";
    out << "\n";
    for (const auto& row : t.rows) {
        out << "|";
        for (const Cell& cell : row)
            out << " " << markdownField(cellToString(cell)) << " |";
        out << "\n";
    }
}

void writeLatex(const Table& t, std::ostream& out) {
    out << "\\begin{tabular}{";
    for (size_t i = 0; i < t.columns.size(); ++i)
        out << "l";
    out << "}\n\\toprule\n";
    for (size_t i = 0; i < t.columns.size(); ++i)
        out << (i ? " & " : "") << latexField(t.columns[i]);
    out << " \\\\\n\\midrule\n";
    for (const auto& row : t.rows) {
        for (size_t i = 0; i < row.size(); ++i)
            out << (i ? " & " : "") << latexField(cellToString(row[i]));
        out << " \\\\\n";
    }
    out << "\\bottomrule\n\\end{tabular}\n";
}

} // namespace

TableFormat parseTableFormat(const std::string& name) {
    if (name == "csv")
        return TableFormat::Csv;
    if (name == "jsonl")
        return TableFormat::Jsonl;
    if (name == "json")
        return TableFormat::Json;
    if (name == "md" || name == "markdown")
        return TableFormat::Markdown;
    if (name == "tex" || name == "latex")
        return TableFormat::Latex;
    throw Error(ErrorKind::InvalidArgument,
                "format '" + name + "': expected one of csv, jsonl, json, md, tex");
}

TableFormat formatForExtension(const std::string& extension, TableFormat fallback) {
    const std::string name =
        extension.empty() || extension[0] != '.' ? extension : extension.substr(1);
    try {
        return parseTableFormat(name);
    } catch (const Error&) {
        return fallback;
    }
}

void writeTable(const Table& table, TableFormat format, std::ostream& out) {
    switch (format) {
    case TableFormat::Csv:
        writeCsv(table, out);
        return;
    case TableFormat::Markdown:
        writeMarkdown(table, out);
        return;
    case TableFormat::Latex:
        writeLatex(table, out);
        return;
    case TableFormat::Jsonl:
        for (const auto& row : table.rows)
            out << rowToJson(table, row)
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
        return;
    case TableFormat::Json: {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& row : table.rows)
            array.push_back(rowToJson(table, row));
        out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return;
    }
    }
}

} // namespace rd::eval
