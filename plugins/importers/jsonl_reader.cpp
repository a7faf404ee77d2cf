#include "jsonl_reader.h"

#include "json_input.h"
#include "manifest_fields.h"

namespace rd::importers {

void JsonlReader::read(const std::filesystem::path& input, const store::ReaderOptions& options,
                       const store::RowSink& sink) {
    const auto root = mediaRootFor(input, options);
    const std::string file = input.string();
    forEachJsonLine(input, [&](const nlohmann::json& object, std::int64_t line) {
        sink(rowFromFields(object, file, line, root, FieldTyping::Json));
    });
}

} // namespace rd::importers
