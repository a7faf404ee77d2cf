#include "importer_registry.h"

#include "common/error.h"
#include "csv_reader.h"
#include "folder_pair_reader.h"
#include "hpdv2_reader.h"
#include "imagereward_reader.h"
#include "json_input.h"
#include "jsonl_reader.h"
#include "pickapic_reader.h"

#include <fstream>
#include <functional>
#include <map>

namespace rd::importers {
namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::function<std::unique_ptr<store::ManifestReader>()>>& factories() {
    static const std::map<std::string, std::function<std::unique_ptr<store::ManifestReader>()>>
        kFactories = {
            {"jsonl", [] { return std::make_unique<JsonlReader>(); }},
            {"csv", [] { return std::make_unique<CsvReader>(); }},
            {"folder-pair", [] { return std::make_unique<FolderPairReader>(); }},
            {"imagereward", [] { return std::make_unique<ImageRewardReader>(); }},
            {"hpdv2", [] { return std::make_unique<Hpdv2Reader>(); }},
            {"pickapic", [] { return std::make_unique<PickapicReader>(); }},
        };
    return kFactories;
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& n : names)
        text += (text.empty() ? "" : ", ") + n;
    return text;
}

nlohmann::json firstJsonLine(const fs::path& input) {
    std::ifstream in(input);
    std::string line;
    while (std::getline(in, line))
        if (line.find_first_not_of(" \t\r") != std::string::npos)
            return nlohmann::json::parse(line, nullptr, false);
    return nullptr;
}

} // namespace

std::vector<std::string> formatNames() {
    std::vector<std::string> names;
    for (const auto& [name, factory] : factories())
        names.push_back(name);
    return names;
}

std::unique_ptr<store::ManifestReader> makeReader(const std::string& format) {
    auto it = factories().find(format);
    if (it == factories().end())
        throw Error(ErrorKind::InvalidArgument,
                    "--format '" + format + "': expected one of " + joined(formatNames()));
    return it->second();
}

std::string detectFormat(const fs::path& input) {
    std::error_code ec;
    if (fs::is_directory(input, ec))
        return "folder-pair";
    if (!fs::exists(input, ec))
        throw Error(ErrorKind::NotFound, input.string() + ": no such file or folder");
    const std::string extension = input.extension().string();
    if (extension == ".csv")
        return "csv";
    if (extension == ".jsonl") {
        const nlohmann::json first = firstJsonLine(input);
        return first.is_object() && first.contains("caption") ? "pickapic" : "jsonl";
    }
    if (extension == ".json") {
        const nlohmann::json document = readJsonDocument(input);
        if (document.is_array() && !document.empty() && document[0].is_object()) {
            const auto& first = document[0];
            if (first.contains("human_preference") || first.contains("raw_annotations") ||
                first.contains("raw_annotation") ||
                (first.contains("image_path") && first["image_path"].is_array()))
                return "hpdv2";
            if (first.contains("generations") || first.contains("prompt_id"))
                return "imagereward";
        }
        throw Error(ErrorKind::Format, input.string() +
                                           ": cannot tell the layout of this JSON file; name it "
                                           "with --format imagereward or --format hpdv2");
    }
    throw Error(ErrorKind::InvalidArgument,
                input.string() + ": cannot tell the manifest format from the extension '" +
                    extension + "'; use --format (" + joined(formatNames()) + ")");
}

} // namespace rd::importers
