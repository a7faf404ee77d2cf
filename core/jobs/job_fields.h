// Reading a JSON job spec strictly: every field has a default in the spec struct, a field of the
// wrong type or out of range is refused with its name, and so is a field nobody reads (a typo
// must not silently train with the default).
//
// Usage:
//   JobFields f(json, "job.json");
//   f.read("lr", spec.lr, {.min = 0.0, .exclusiveMin = true});
//   f.read("preset", spec.preset);
//   f.finish();                           // throws on unknown fields
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rd::jobs {

struct Range {
    std::optional<double> min;
    std::optional<double> max;
    bool exclusiveMin = false;
};

class JobFields {
public:
    // where: the file or the job spec's name, for error messages; prefix names nested objects.
    JobFields(const nlohmann::json& object, std::string where, std::string prefix = "");

    void read(const std::string& name, bool& value);
    void read(const std::string& name, int& value, const Range& range = {});
    void read(const std::string& name, std::int64_t& value, const Range& range = {});
    void read(const std::string& name, double& value, const Range& range = {});
    void read(const std::string& name, std::string& value);
    // One of the allowed words.
    void readChoice(const std::string& name, std::string& value,
                    const std::vector<std::string>& allowed);
    void read(const std::string& name, std::vector<std::string>& value);
    // A job's output folder: a relative path that stays inside the workspace and outside its
    // media/ folder (models/rm-s), so a run can neither write elsewhere nor among the media.
    void readOutFolder(const std::string& name, std::string& value);
    // A nested object (empty when absent), read with the same strictness.
    JobFields object(const std::string& name);
    bool has(const std::string& name) const;

    // Throws rd::Error(InvalidArgument) naming the first field that was never read.
    void finish() const;

    [[noreturn]] void fail(const std::string& name, const std::string& problem) const;

private:
    const nlohmann::json* find(const std::string& name);
    void checkRange(const std::string& name, double value, const Range& range) const;

    nlohmann::json m_object;
    std::string m_where, m_prefix;
    std::set<std::string> m_read;
};

} // namespace rd::jobs
