#include "folder_pair_reader.h"

#include "common/error.h"
#include "json_input.h"
#include "manifest_fields.h"

#include <algorithm>
#include <map>
#include <set>

namespace rd::importers {
namespace fs = std::filesystem;

namespace {

const std::set<std::string> kMediaExtensions = {".png",  ".jpg", ".jpeg", ".webp", ".bmp", ".tif",
                                                ".tiff", ".mp4", ".mov",  ".webm", ".mkv", ".avi"};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// stem -> file, for the media files directly inside folder.
std::map<std::string, fs::path> mediaByStem(const fs::path& folder) {
    std::map<std::string, fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (!entry.is_regular_file() || !kMediaExtensions.count(lower(entry.path().extension())))
            continue;
        const std::string stem = entry.path().stem().string();
        if (!files.emplace(stem, entry.path()).second)
            throw Error(ErrorKind::Format, entry.path().string() + ": two media files named '" +
                                               stem + "' in " + folder.string());
    }
    return files;
}

const std::set<std::string> kPromptFields = {"file", "prompt", "category", "split"};

struct PromptEntry {
    std::string prompt, category, split = "train";
};

std::map<std::string, PromptEntry> readPrompts(const fs::path& file) {
    std::map<std::string, PromptEntry> prompts;
    if (!fs::exists(file))
        return prompts;
    forEachJsonLine(file, [&](const nlohmann::json& row, std::int64_t line) {
        const std::string name = file.string();
        if (!row.is_object())
            failField(name, line, "file", "expected a JSON object per line");
        for (auto it = row.begin(); it != row.end(); ++it)
            if (!kPromptFields.count(it.key()))
                failField(name, line, it.key(),
                          "unknown field (known: file, prompt, category, "
                          "split)");
        auto text = [&](const char* field, const std::string& fallback) {
            auto it = row.find(field);
            if (it == row.end() || it->is_null())
                return fallback;
            if (!it->is_string())
                failField(name, line, field, "expected text");
            return it->get<std::string>();
        };
        PromptEntry entry{text("prompt", ""), text("category", ""), text("split", "train")};
        const std::string stem = fs::path(text("file", "")).stem().string();
        if (stem.empty())
            failField(name, line, "file", "missing");
        if (entry.prompt.empty())
            failField(name, line, "prompt", "missing");
        if (!isValidSplit(entry.split))
            failField(name, line, "split", "'" + entry.split + "' is not a split name");
        prompts[stem] = entry;
    });
    return prompts;
}

std::string promptFromStem(std::string stem) {
    std::replace(stem.begin(), stem.end(), '_', ' ');
    std::replace(stem.begin(), stem.end(), '-', ' ');
    return stem;
}

} // namespace

void FolderPairReader::read(const fs::path& input, const store::ReaderOptions&,
                            const store::RowSink& sink) {
    if (!fs::is_directory(input))
        throw Error(ErrorKind::NotFound, input.string() + ": not a folder");
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(input))
        if (entry.is_directory() && entry.path().filename().string()[0] != '.')
            folders.push_back(entry.path());
    if (folders.size() != 2)
        throw Error(ErrorKind::Format, input.string() +
                                           ": a folder pair needs exactly two "
                                           "sub-folders (one per generator), found " +
                                           std::to_string(folders.size()));
    std::sort(folders.begin(), folders.end());
    const auto left = mediaByStem(folders[0]);
    const auto right = mediaByStem(folders[1]);
    for (const auto& [stem, path] : right)
        if (!left.count(stem))
            throw Error(ErrorKind::Format, path.string() + ": no file named '" + stem + ".*' in " +
                                               folders[0].string());
    const auto prompts = readPrompts(input / "prompts.jsonl");

    std::int64_t index = 0;
    for (const auto& [stem, leftPath] : left) {
        ++index;
        auto match = right.find(stem);
        if (match == right.end())
            throw Error(ErrorKind::Format, leftPath.string() + ": no file named '" + stem +
                                               ".*' in " + folders[1].string());
        store::ImportRow row;
        row.sourceFile = input.string();
        row.line = index;
        row.lineIsRecord = true;
        auto prompt = prompts.find(stem);
        if (prompt != prompts.end()) {
            row.prompt = prompt->second.prompt;
            row.category = prompt->second.category;
            row.split = prompt->second.split;
        } else {
            row.prompt = promptFromStem(stem);
        }
        row.mediaA = leftPath;
        row.mediaB = match->second;
        row.generatorA = folders[0].filename().string();
        row.generatorB = folders[1].filename().string();
        sink(row);
    }
}

} // namespace rd::importers
