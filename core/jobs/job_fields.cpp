#include "jobs/job_fields.h"

#include "common/error.h"

#include <cmath>
#include <filesystem>

namespace rd::jobs {

JobFields::JobFields(const nlohmann::json& object, std::string where, std::string prefix)
    : m_object(object.is_null() ? nlohmann::json::object() : object), m_where(std::move(where)),
      m_prefix(std::move(prefix)) {
    if (!m_object.is_object())
        throw Error(ErrorKind::InvalidArgument,
                    m_where + ": " + (m_prefix.empty() ? std::string("the job spec") : m_prefix) +
                        " must be a JSON object");
}

void JobFields::fail(const std::string& name, const std::string& problem) const {
    throw Error(ErrorKind::InvalidArgument,
                m_where + ": field \"" + m_prefix + name + "\" " + problem);
}

const nlohmann::json* JobFields::find(const std::string& name) {
    m_read.insert(name);
    const auto it = m_object.find(name);
    return it == m_object.end() ? nullptr : &*it;
}

bool JobFields::has(const std::string& name) const {
    return m_object.contains(name);
}

void JobFields::checkRange(const std::string& name, double value, const Range& range) const {
    if (range.min && (range.exclusiveMin ? value <= *range.min : value < *range.min))
        fail(name, "must be " + std::string(range.exclusiveMin ? "above " : "at least ") +
                       nlohmann::json(*range.min).dump() + ", got " + nlohmann::json(value).dump());
    if (range.max && value > *range.max)
        fail(name, "must be at most " + nlohmann::json(*range.max).dump() + ", got " +
                       nlohmann::json(value).dump());
}

void JobFields::readOutFolder(const std::string& name, std::string& value) {
    read(name, value);
    if (value.empty())
        return; // the spec says whether it is required
    if (value.find('\0') != std::string::npos)
        fail(name, "contains a NUL character");
    const std::filesystem::path path(value);
    if (path.is_absolute())
        fail(name, "must be a folder inside the workspace, relative to it (e.g. models/rm-s), "
                   "got the absolute path " +
                       nlohmann::json(value).dump());
    const std::filesystem::path normal = path.lexically_normal();
    const std::string first = normal.empty() ? std::string() : normal.begin()->string();
    if (first == ".." || first == "." || first.empty())
        fail(name, nlohmann::json(value).dump() +
                       " leaves the workspace or is the workspace itself; name a folder inside "
                       "it (e.g. models/rm-s)");
    if (first == "media" || first == "locks")
        fail(name, nlohmann::json(value).dump() + " is inside the workspace's " + first +
                       "/ folder, which the studio manages; use e.g. models/...");
}

void JobFields::read(const std::string& name, bool& value) {
    if (const auto* v = find(name)) {
        if (!v->is_boolean())
            fail(name, "must be true or false, got " + v->dump());
        value = v->get<bool>();
    }
}

void JobFields::read(const std::string& name, std::int64_t& value, const Range& range) {
    if (const auto* v = find(name)) {
        if (!v->is_number_integer())
            fail(name, "must be an integer, got " + v->dump());
        value = v->get<std::int64_t>();
        checkRange(name, static_cast<double>(value), range);
    }
}

void JobFields::read(const std::string& name, int& value, const Range& range) {
    std::int64_t wide = value;
    Range bounded = range;
    if (!bounded.min)
        bounded.min = -2147483648.0;
    if (!bounded.max)
        bounded.max = 2147483647.0;
    read(name, wide, bounded);
    value = static_cast<int>(wide);
}

void JobFields::read(const std::string& name, double& value, const Range& range) {
    if (const auto* v = find(name)) {
        if (!v->is_number() || !std::isfinite(v->get<double>()))
            fail(name, "must be a number, got " + v->dump());
        value = v->get<double>();
        checkRange(name, value, range);
    }
}

void JobFields::read(const std::string& name, std::string& value) {
    if (const auto* v = find(name)) {
        if (!v->is_string())
            fail(name, "must be a string, got " + v->dump());
        value = v->get<std::string>();
    }
}

void JobFields::readChoice(const std::string& name, std::string& value,
                           const std::vector<std::string>& allowed) {
    read(name, value);
    for (const std::string& a : allowed)
        if (a == value)
            return;
    std::string list;
    for (const std::string& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
    fail(name, "must be one of " + list + ", got \"" + value + "\"");
}

void JobFields::read(const std::string& name, std::vector<std::string>& value) {
    if (const auto* v = find(name)) {
        if (!v->is_array())
            fail(name, "must be an array of strings, got " + v->dump());
        std::vector<std::string> out;
        for (const auto& item : *v) {
            if (!item.is_string())
                fail(name, "must be an array of strings, got " + v->dump());
            out.push_back(item.get<std::string>());
        }
        value = out;
    }
}

JobFields JobFields::object(const std::string& name) {
    const auto* v = find(name);
    if (v && !v->is_object())
        fail(name, "must be a JSON object, got " + v->dump());
    return JobFields(v ? *v : nlohmann::json::object(), m_where, m_prefix + name + ".");
}

void JobFields::finish() const {
    for (const auto& [key, value] : m_object.items())
        if (!m_read.count(key))
            fail(key, "is not a known field");
}

} // namespace rd::jobs
