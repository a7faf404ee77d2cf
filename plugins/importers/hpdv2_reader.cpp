#include "hpdv2_reader.h"

#include "common/error.h"
#include "json_input.h"
#include "manifest_fields.h"
#include "ranked_pairs.h"

namespace rd::importers {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path imageFolder(const fs::path& input, const store::ReaderOptions& options,
                     const std::string& split) {
    if (!options.mediaRoot.empty())
        return options.mediaRoot;
    const fs::path base = mediaRootFor(input, options);
    return fs::is_directory(base / split) ? base / split : base;
}

const json& requireArray(const json& record, const char* field, const std::string& where,
                         std::int64_t n) {
    auto it = record.find(field);
    if (it == record.end() || !it->is_array())
        failRecordField(where, n, field, "missing or not an array");
    return *it;
}

} // namespace

void Hpdv2Reader::read(const fs::path& input, const store::ReaderOptions& options,
                       const store::RowSink& sink) {
    const json document = readJsonDocument(input);
    if (!document.is_array())
        throw Error(ErrorKind::Format, input.string() + ": expected a JSON array of records");
    const std::string split = splitFromFileName(input);
    const fs::path root = imageFolder(input, options, split == "train" ? "train" : "test");
    const std::string where = input.string();

    std::int64_t n = 0;
    for (const json& record : document) {
        ++n;
        if (!record.is_object() || !record.contains("prompt") || !record["prompt"].is_string())
            failRecordField(where, n, "prompt", "missing or not text");
        store::ImportRow base;
        base.sourceFile = input.string();
        base.line = n;
        base.lineIsRecord = true;
        base.prompt = record["prompt"].get<std::string>();
        base.split = split;
        base.source = store::PairSource::Human;
        base.generatorA = base.generatorB = "hpdv2";

        std::vector<RankedGeneration> ranked;
        if (record.contains("human_preference")) {
            const json& files = requireArray(record, "file_path", where, n);
            const json& preference = requireArray(record, "human_preference", where, n);
            if (files.size() != 2 || preference.size() != 2 || !files[0].is_string() ||
                !files[1].is_string() || !preference[0].is_number() || !preference[1].is_number())
                failRecordField(where, n, "human_preference",
                                "expected two paths in 'file_path' and two numbers here");
            // human_preference marks the winner with 1: turn it into a rank (lower is better).
            for (int i = 0; i < 2; ++i)
                ranked.push_back({resolveMedia(root, files[i].get<std::string>()),
                                  -preference[i].get<double>()});
        } else {
            const json& files = requireArray(record, "image_path", where, n);
            const json& ranks = requireArray(record, "rank", where, n);
            if (files.size() != ranks.size() || files.size() < 2)
                failRecordField(where, n, "rank",
                                "expected as many ranks as image paths (2 or more)");
            for (size_t i = 0; i < files.size(); ++i) {
                if (!files[i].is_string() || !ranks[i].is_number())
                    failRecordField(where, n, "image_path", "expected paths with numeric ranks");
                ranked.push_back(
                    {resolveMedia(root, files[i].get<std::string>()), ranks[i].get<double>()});
            }
        }
        emitRankedPairs(base, ranked, sink);
    }
}

} // namespace rd::importers
