#include "pickapic_reader.h"

#include "json_input.h"
#include "manifest_fields.h"
#include "ranked_pairs.h"

namespace rd::importers {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string text(const json& row, const char* field) {
    auto it = row.find(field);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

fs::path imagePath(const json& row, int side, const fs::path& root, const std::string& file,
                   std::int64_t line) {
    const std::string jpg = text(row, side == 0 ? "jpg_0" : "jpg_1");
    if (!jpg.empty())
        return resolveMedia(root, jpg);
    const std::string uid = text(row, side == 0 ? "image_0_uid" : "image_1_uid");
    if (!uid.empty())
        return root / (uid + ".jpg");
    failField(file, line, side == 0 ? "jpg_0" : "jpg_1", "missing (and no image_N_uid either)");
}

} // namespace

void PickapicReader::read(const fs::path& input, const store::ReaderOptions& options,
                          const store::RowSink& sink) {
    const fs::path root = mediaRootFor(input, options);
    const std::string file = input.string();
    const std::string defaultSplit = splitFromFileName(input);
    forEachJsonLine(input, [&](const json& row, std::int64_t line) {
        if (!row.is_object())
            failField(file, line, "caption", "expected a JSON object per line");
        store::ImportRow out;
        out.sourceFile = file;
        out.line = line;
        out.prompt = text(row, "caption");
        if (out.prompt.empty())
            failField(file, line, "caption", "missing or empty");
        out.split = text(row, "split").empty() ? defaultSplit : text(row, "split");
        if (!isValidSplit(out.split))
            failField(file, line, "split", "'" + out.split + "' is not a split name");
        out.mediaA = imagePath(row, 0, root, file, line);
        out.mediaB = imagePath(row, 1, root, file, line);
        out.generatorA = text(row, "model_0").empty() ? "unknown" : text(row, "model_0");
        out.generatorB = text(row, "model_1").empty() ? "unknown" : text(row, "model_1");
        out.source = store::PairSource::Human;

        const bool hasLabel = row.value("has_label", true);
        if (hasLabel) {
            const json label0 = row.value("label_0", json(nullptr));
            const json label1 = row.value("label_1", json(nullptr));
            if (!label0.is_number() || !label1.is_number())
                failField(file, line, "label_0", "label_0 and label_1 must be numbers");
            const double a = label0.get<double>(), b = label1.get<double>();
            out.preferred = a > b   ? store::Preference::A
                            : b > a ? store::Preference::B
                                    : store::Preference::Tie;
        }
        sink(out);
    });
}

} // namespace rd::importers
