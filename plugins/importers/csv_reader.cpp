#include "csv_reader.h"

#include "common/error.h"
#include "common/file_checks.h"
#include "manifest_fields.h"
#include "text_encoding.h"

#include <csv.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <vector>

namespace rd::importers {
namespace fs = std::filesystem;

namespace {

// Collects libcsv's field/record callbacks into records, tracking the line each starts on.
struct CsvState {
    std::vector<std::string> fields;
    std::vector<std::vector<std::string>> records; // complete records not yet consumed
    std::vector<std::int64_t> recordLines;
    std::int64_t currentLine = 1;     // line of the byte being parsed
    std::int64_t recordStartLine = 1; // line the record in progress started on
    bool recordStarted = false;
};

void onField(void* data, size_t length, void* state) {
    auto* s = static_cast<CsvState*>(state);
    if (!s->recordStarted) {
        s->recordStartLine = s->currentLine;
        s->recordStarted = true;
    }
    if (data)
        s->fields.emplace_back(static_cast<const char*>(data), length);
    else
        s->fields.emplace_back(); // CSV_EMPTY_IS_NULL: an empty unquoted field
}

void onRecord(int, void* state) {
    auto* s = static_cast<CsvState*>(state);
    s->records.push_back(std::move(s->fields));
    s->recordLines.push_back(s->recordStarted ? s->recordStartLine : s->currentLine);
    s->fields.clear();
    s->recordStarted = false;
}

// The header row, its UTF-8 byte-order mark dropped; a column named twice is refused (its
// values would silently overwrite each other).
std::vector<std::string> readHeader(std::vector<std::string> record, const std::string& file,
                                    std::int64_t line) {
    if (!record.empty() && record[0].rfind("\xEF\xBB\xBF", 0) == 0)
        record[0].erase(0, 3);
    std::set<std::string> seen;
    for (const std::string& column : record)
        if (!seen.insert(column).second)
            throw Error(ErrorKind::Format, file + ":" + std::to_string(line) + ": column '" +
                                               column + "' appears twice in the header");
    return record;
}

} // namespace

void CsvReader::read(const fs::path& input, const store::ReaderOptions& options,
                     const store::RowSink& sink) {
    requireRegularFile(input);
    requireUtf8Text(input);
    std::ifstream in(input, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Io, input.string() + ": cannot open");
    const fs::path root = mediaRootFor(input, options);
    const std::string file = input.string();

    csv_parser parser;
    csv_init(&parser, CSV_STRICT | CSV_EMPTY_IS_NULL);
    CsvState state;
    std::vector<std::string> header;

    auto consume = [&]() {
        for (size_t r = 0; r < state.records.size(); ++r) {
            const auto& record = state.records[r];
            const std::int64_t line = state.recordLines[r];
            if (record.size() == 1 && record[0].empty())
                continue; // blank line
            if (header.empty()) {
                header = readHeader(record, file, line);
                continue;
            }
            if (record.size() != header.size())
                throw Error(ErrorKind::Format, file + ":" + std::to_string(line) + ": " +
                                                   std::to_string(record.size()) +
                                                   " fields, the header has " +
                                                   std::to_string(header.size()));
            nlohmann::json object = nlohmann::json::object();
            for (size_t c = 0; c < header.size(); ++c)
                object[header[c]] = record[c];
            sink(rowFromFields(object, file, line, root, FieldTyping::Text));
        }
        state.records.clear();
        state.recordLines.clear();
    };

    try {
        std::vector<char> buffer(1 << 16);
        while (in) {
            in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            const auto got = static_cast<size_t>(in.gcount());
            // Feed line by line so each record knows the line it started on.
            size_t start = 0;
            for (size_t i = 0; i < got; ++i) {
                if (buffer[i] != '\n')
                    continue;
                if (csv_parse(&parser, buffer.data() + start, i + 1 - start, onField, onRecord,
                              &state) != i + 1 - start)
                    throw Error(ErrorKind::Format, file + ":" + std::to_string(state.currentLine) +
                                                       ": " + csv_strerror(csv_error(&parser)));
                ++state.currentLine;
                start = i + 1;
                consume();
            }
            if (start < got && csv_parse(&parser, buffer.data() + start, got - start, onField,
                                         onRecord, &state) != got - start)
                throw Error(ErrorKind::Format, file + ":" + std::to_string(state.currentLine) +
                                                   ": " + csv_strerror(csv_error(&parser)));
            consume();
        }
        if (csv_fini(&parser, onField, onRecord, &state) != 0)
            throw Error(ErrorKind::Format, file + ":" + std::to_string(state.currentLine) + ": " +
                                               csv_strerror(csv_error(&parser)) +
                                               " (unterminated quoted field?)");
        consume();
    } catch (...) {
        csv_free(&parser);
        throw;
    }
    csv_free(&parser);
    if (header.empty())
        throw Error(ErrorKind::Format, file + ": empty CSV (no header row)");
}

} // namespace rd::importers
