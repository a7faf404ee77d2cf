// Reading the JSON files tokenizers come in, with errors that name the file and the field.
//
// Usage:
//   nlohmann::json root = readJsonFile(path);
//   JsonField model = JsonField::root(root, path.string()).child("model");
//   const auto& vocab = model.child("vocab").requireObject();   // "...: model.vocab: missing"
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace rd::text {

// Throws rd::Error(NotFound/Io) for an unreadable file, Format (with nlohmann's line and column)
// for malformed JSON.
nlohmann::json readJsonFile(const std::filesystem::path& path);

// A value inside a JSON document together with its path, so type errors can say where they are.
class JsonField {
public:
    static JsonField root(const nlohmann::json& value, std::string file) {
        return JsonField(&value, std::move(file), "");
    }

    // A missing key gives a field whose value is null (absent() tells the two apart).
    JsonField child(const std::string& key) const;
    JsonField at(size_t index) const;

    bool absent() const { return m_value == nullptr; }
    bool isNull() const { return !m_value || m_value->is_null(); }
    const nlohmann::json& value() const;

    const nlohmann::json& requireObject() const;
    const nlohmann::json& requireArray() const;
    std::string requireString() const;
    int64_t requireInt() const;
    bool boolOr(bool fallback) const;
    std::optional<std::string> optionalString() const;

    // "file: model.merges[3]" (or "file" at the root).
    std::string where() const;
    [[noreturn]] void fail(const std::string& problem) const;

private:
    JsonField(const nlohmann::json* value, std::string file, std::string path)
        : m_value(value), m_file(std::move(file)), m_path(std::move(path)) {}

    const nlohmann::json* m_value;
    std::string m_file;
    std::string m_path;
};

} // namespace rd::text
