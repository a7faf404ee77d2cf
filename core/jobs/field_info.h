// What a job spec's field is, for everything that is not the parser: the studio's forms, the
// CLI's field list and the docs' field table. One FieldInfo per field, made by its SpecFields
// declaration (spec_fields.h), so none of them restates a name, default, range or choice.
#pragma once

#include "jobs/job_fields.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rd::jobs {

enum class FieldType {
    Bool,
    Int,
    Real,
    Text,
    Path,      // a file or folder, relative to the workspace unless absolute
    OutFolder, // a folder inside the workspace (JobFields::readOutFolder)
    Choice,    // one of `choices`
    Words,     // an array of strings
};

struct FieldInfo {
    std::string name;
    FieldType type = FieldType::Text;
    nlohmann::json defaultValue; // the spec struct's own default
    Range range;                 // Int and Real
    // Choice: the allowed words. Text and Words: the usual words, a hint (presets, skills).
    std::vector<std::string> choices;
    std::string label; // a form's label, a few words
    std::string help;  // what it does, as the docs' table says it (Markdown)
    bool required = false;
    std::string defaultNote; // the docs' default column instead of the value ("`out`'s name")
};

// The docs' table: a header and one row per field ("| `lr` | `0.0003` | AdamW peak ... |").
std::string fieldsMarkdown(const std::vector<FieldInfo>& fields);
// A plain-text list for `--help`: name, default and label, one field a line.
std::string fieldsText(const std::vector<FieldInfo>& fields);
// The default as the docs write it: `"reward"`, `[]`, `0.0003`, required, or the note.
std::string defaultText(const FieldInfo& field);

} // namespace rd::jobs
