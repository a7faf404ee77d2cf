#include "imagereward_reader.h"

#include "common/error.h"
#include "json_input.h"
#include "manifest_fields.h"
#include "ranked_pairs.h"

#include <map>

namespace rd::importers {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Context {
    std::string file;
    fs::path root;
    std::string split;
};

std::string requireText(const json& record, const char* field, const Context& c, std::int64_t n) {
    auto it = record.find(field);
    if (it == record.end() || !it->is_string() || it->get<std::string>().empty())
        failRecordField(c.file, n, field, "missing or not text");
    return it->get<std::string>();
}

double requireNumber(const json& value, const char* field, const Context& c, std::int64_t n) {
    if (!value.is_number())
        failRecordField(c.file, n, field, "expected a number");
    return value.get<double>();
}

store::ImportRow baseRow(const Context& c, std::int64_t n, const std::string& prompt,
                         const std::string& category) {
    store::ImportRow row;
    row.sourceFile = c.file;
    row.line = n;
    row.lineIsRecord = true;
    row.prompt = prompt;
    row.category = category;
    row.split = c.split;
    row.source = store::PairSource::Human;
    row.generatorA = row.generatorB = "imagereward";
    return row;
}

void readGrouped(const json& record, const Context& c, std::int64_t n, const store::RowSink& sink) {
    const std::string prompt = requireText(record, "prompt", c, n);
    const json& generations = record.at("generations");
    auto ranking = record.find("ranking");
    if (!generations.is_array() || ranking == record.end() || !ranking->is_array() ||
        ranking->size() != generations.size())
        failRecordField(c.file, n, "ranking",
                        "expected arrays 'generations' and 'ranking' of the same length");
    std::vector<RankedGeneration> ranked;
    for (size_t i = 0; i < generations.size(); ++i) {
        if (!generations[i].is_string())
            failRecordField(c.file, n, "generations", "expected paths");
        ranked.push_back({resolveMedia(c.root, generations[i].get<std::string>()),
                          requireNumber((*ranking)[i], "ranking", c, n)});
    }
    emitRankedPairs(baseRow(c, n, prompt, record.value("classification", "")), ranked, sink);
}

} // namespace

void ImageRewardReader::read(const fs::path& input, const store::ReaderOptions& options,
                             const store::RowSink& sink) {
    const json document = readJsonDocument(input);
    if (!document.is_array())
        throw Error(ErrorKind::Format, input.string() + ": expected a JSON array of records");
    const Context c{input.string(), mediaRootFor(input, options), splitFromFileName(input)};

    // Per-image records are grouped by prompt_id, keeping the order prompts first appear in.
    struct Group {
        std::int64_t firstRecord = 0;
        std::string prompt, category;
        std::vector<RankedGeneration> ranked;
    };
    std::vector<std::string> groupOrder;
    std::map<std::string, Group> groups;

    std::int64_t n = 0;
    for (const json& record : document) {
        ++n;
        if (!record.is_object())
            throw Error(ErrorKind::Format,
                        c.file + ": record " + std::to_string(n) + ": expected a JSON object");
        if (record.contains("generations")) {
            readGrouped(record, c, n, sink);
            continue;
        }
        if (!record.contains("image_path"))
            failRecordField(c.file, n, "generations",
                            "neither 'generations'+'ranking' nor 'image_path'+'rank' present");
        const json id = record.value("prompt_id", json(nullptr));
        if (id.is_null())
            failRecordField(c.file, n, "prompt_id", "missing");
        const std::string key = id.is_string() ? id.get<std::string>() : id.dump();
        auto [it, inserted] = groups.try_emplace(key);
        Group& group = it->second;
        if (inserted) {
            groupOrder.push_back(key);
            group.firstRecord = n;
            group.prompt = requireText(record, "prompt", c, n);
            group.category = record.value("classification", "");
        }
        group.ranked.push_back({resolveMedia(c.root, requireText(record, "image_path", c, n)),
                                requireNumber(record.value("rank", json(nullptr)), "rank", c, n)});
    }
    for (const std::string& key : groupOrder) {
        const Group& g = groups[key];
        emitRankedPairs(baseRow(c, g.firstRecord, g.prompt, g.category), g.ranked, sink);
    }
}

} // namespace rd::importers
