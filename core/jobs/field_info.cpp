#include "jobs/field_info.h"

#include <algorithm>

namespace rd::jobs {

std::string defaultText(const FieldInfo& field) {
    if (field.required)
        return "required";
    if (!field.defaultNote.empty())
        return field.defaultNote;
    return "`" + field.defaultValue.dump() + "`";
}

namespace {

std::string withoutBackticks(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '`'), text.end());
    return text;
}

} // namespace

std::string fieldsMarkdown(const std::vector<FieldInfo>& fields) {
    std::string out = "| field | default | meaning |\n|---|---|---|\n";
    for (const FieldInfo& f : fields)
        out += "| `" + f.name + "` | " + defaultText(f) + " | " + f.help + " |\n";
    return out;
}

std::string fieldsText(const std::vector<FieldInfo>& fields) {
    size_t nameWidth = 0, defaultWidth = 0;
    for (const FieldInfo& f : fields) {
        nameWidth = std::max(nameWidth, f.name.size());
        defaultWidth = std::max(defaultWidth, withoutBackticks(defaultText(f)).size());
    }
    std::string out;
    for (const FieldInfo& f : fields) {
        const std::string value = withoutBackticks(defaultText(f));
        out += "  " + f.name + std::string(nameWidth - f.name.size() + 2, ' ') + value +
               std::string(defaultWidth - value.size() + 2, ' ') + f.label + "\n";
    }
    return out;
}

} // namespace rd::jobs
