#include "text/json_file.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_text.h"

namespace rd::text {

nlohmann::json readJsonFile(const std::filesystem::path& path) {
    return parseJsonText(readWholeFile(path), path.string());
}

JsonField JsonField::child(const std::string& key) const {
    const std::string path = m_path.empty() ? key : m_path + "." + key;
    if (!m_value || !m_value->is_object())
        return JsonField(nullptr, m_file, path);
    auto found = m_value->find(key);
    return JsonField(found == m_value->end() ? nullptr : &*found, m_file, path);
}

JsonField JsonField::at(size_t index) const {
    const std::string path = m_path + "[" + std::to_string(index) + "]";
    if (!m_value || !m_value->is_array() || index >= m_value->size())
        return JsonField(nullptr, m_file, path);
    return JsonField(&(*m_value)[index], m_file, path);
}

const nlohmann::json& JsonField::value() const {
    static const nlohmann::json null;
    return m_value ? *m_value : null;
}

std::string JsonField::where() const {
    return m_path.empty() ? m_file : m_file + ": " + m_path;
}

void JsonField::fail(const std::string& problem) const {
    throw Error(ErrorKind::Format, where() + ": " + problem);
}

const nlohmann::json& JsonField::requireObject() const {
    if (absent())
        fail("missing");
    if (!m_value->is_object())
        fail("expected an object, found " + std::string(m_value->type_name()));
    return *m_value;
}

const nlohmann::json& JsonField::requireArray() const {
    if (absent())
        fail("missing");
    if (!m_value->is_array())
        fail("expected an array, found " + std::string(m_value->type_name()));
    return *m_value;
}

std::string JsonField::requireString() const {
    if (absent())
        fail("missing");
    if (!m_value->is_string())
        fail("expected a string, found " + std::string(m_value->type_name()));
    return m_value->get<std::string>();
}

int64_t JsonField::requireInt() const {
    if (absent())
        fail("missing");
    if (!m_value->is_number_integer())
        fail("expected an integer, found " + std::string(m_value->type_name()));
    return m_value->get<int64_t>();
}

bool JsonField::boolOr(bool fallback) const {
    if (isNull())
        return fallback;
    if (!m_value->is_boolean())
        fail("expected true or false, found " + std::string(m_value->type_name()));
    return m_value->get<bool>();
}

std::optional<std::string> JsonField::optionalString() const {
    if (isNull())
        return std::nullopt;
    return requireString();
}

} // namespace rd::text
