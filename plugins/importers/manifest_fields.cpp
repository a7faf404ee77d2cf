#include "manifest_fields.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <set>

namespace rd::importers {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::set<std::string> kKnownFields = {
    "prompt", "category", "split", "metadata", "media_a", "media_b", "generator_a", "generator_b",
    "seed_a", "seed_b", "step_a", "step_b", "preferred", "rationale", "source",
    // `rdance export --what pairs` writes it; ignored
    "pair_id"};

class FieldReader {
public:
    FieldReader(const json& fields, const std::string& file, std::int64_t line, FieldTyping typing)
        : m_fields(fields), m_file(file), m_line(line), m_typing(typing) {}

    bool has(const std::string& name) const {
        auto it = m_fields.find(name);
        if (it == m_fields.end() || it->is_null())
            return false;
        return !(it->is_string() && it->get<std::string>().empty() &&
                 m_typing == FieldTyping::Text);
    }

    std::string text(const std::string& name, const std::string& fallback = {}) const {
        if (!has(name))
            return fallback;
        const json& value = m_fields.at(name);
        if (!value.is_string())
            fail(name, "expected text, got " + std::string(value.type_name()));
        return value.get<std::string>();
    }

    std::optional<std::int64_t> integer(const std::string& name) const {
        if (!has(name))
            return std::nullopt;
        const json& value = m_fields.at(name);
        if (value.is_number_integer())
            return value.get<std::int64_t>();
        if (value.is_string()) {
            const std::string text = value.get<std::string>();
            try {
                size_t used = 0;
                std::int64_t parsed = std::stoll(text, &used);
                if (used == text.size())
                    return parsed;
            } catch (const std::exception&) {
            }
            fail(name, "'" + text + "' is not an integer");
        }
        fail(name, "expected an integer, got " + std::string(value.type_name()));
    }

    std::string metadata() const {
        if (!has("metadata"))
            return "{}";
        const json& value = m_fields.at("metadata");
        json object = value;
        if (value.is_string()) {
            object = json::parse(value.get<std::string>(), nullptr, false);
            if (object.is_discarded())
                fail("metadata", "not valid JSON");
        }
        if (!object.is_object())
            fail("metadata", "expected a JSON object");
        return object.dump();
    }

    [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
        failField(m_file, m_line, field, problem);
    }

private:
    const json& m_fields;
    const std::string& m_file;
    std::int64_t m_line;
    FieldTyping m_typing;
};

} // namespace

void failField(const std::string& file, std::int64_t line, const std::string& field,
               const std::string& problem) {
    throw Error(ErrorKind::Format,
                file + ":" + std::to_string(line) + ": field '" + field + "': " + problem);
}

void failRecordField(const std::string& file, std::int64_t record, const std::string& field,
                     const std::string& problem) {
    throw Error(ErrorKind::Format, file + ": record " + std::to_string(record) + ": field '" +
                                       field + "': " + problem);
}

bool isValidSplit(const std::string& split) {
    if (split.empty() || split.size() > 32)
        return false;
    for (char c : split)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    return true;
}

fs::path mediaRootFor(const fs::path& manifest, const store::ReaderOptions& options) {
    if (!options.mediaRoot.empty())
        return options.mediaRoot;
    return manifest.parent_path().empty() ? fs::path(".") : manifest.parent_path();
}

fs::path resolveMedia(const fs::path& root, const std::string& path) {
    const fs::path p(path);
    return p.is_absolute() ? p : root / p;
}

store::ImportRow rowFromFields(const json& fields, const std::string& file, std::int64_t line,
                               const fs::path& mediaRoot, FieldTyping typing) {
    if (!fields.is_object())
        throw Error(ErrorKind::Format, file + ":" + std::to_string(line) +
                                           ": expected a JSON object, got " + fields.type_name());
    FieldReader f(fields, file, line, typing);
    for (auto it = fields.begin(); it != fields.end(); ++it)
        if (!kKnownFields.count(it.key()))
            f.fail(it.key(), "unknown field (known: prompt, category, split, metadata, media_a, "
                             "media_b, generator_a, generator_b, seed_a, seed_b, step_a, step_b, "
                             "preferred, rationale, source; pair_id is ignored)");

    store::ImportRow row;
    row.sourceFile = file;
    row.line = line;
    // Typed fields first: a wrong value is reported as itself, not as a later missing field.
    row.generatorA = f.text("generator_a", "unknown");
    row.generatorB = f.text("generator_b", "unknown");
    row.seedA = f.integer("seed_a");
    row.seedB = f.integer("seed_b");
    row.stepA = f.integer("step_a");
    row.stepB = f.integer("step_b");
    row.prompt = f.text("prompt");
    if (row.prompt.empty())
        f.fail("prompt", "missing or empty");
    row.category = f.text("category");
    row.split = f.text("split", "train");
    if (!isValidSplit(row.split))
        f.fail("split", "'" + row.split + "' is not a split name ([a-z0-9_-], at most 32)");
    row.metadataJson = f.metadata();
    const std::string mediaA = f.text("media_a");
    if (mediaA.empty())
        f.fail("media_a", "missing or empty");
    row.mediaA = resolveMedia(mediaRoot, mediaA);
    const std::string mediaB = f.text("media_b");
    if (!mediaB.empty())
        row.mediaB = resolveMedia(mediaRoot, mediaB);

    const std::string preferred = f.text("preferred", "unknown");
    auto parsedPreference = store::parsePreference(preferred);
    if (!parsedPreference)
        f.fail("preferred", "'" + preferred + "' (expected a, b, tie or unknown)");
    row.preferred = *parsedPreference;
    if (row.mediaB.empty() && row.preferred != store::Preference::Unknown)
        f.fail("preferred", "set, but the row has no media_b to compare with");
    row.rationale = f.text("rationale");
    const std::string source = f.text("source", "import");
    auto parsedSource = store::parsePairSource(source);
    if (!parsedSource)
        f.fail("source", "'" + source + "' (expected human, synthetic or import)");
    row.source = *parsedSource;
    return row;
}

} // namespace rd::importers
