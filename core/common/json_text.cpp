#include "common/json_text.h"

#include "common/error.h"

#include <set>
#include <vector>

namespace rd {

nlohmann::json parseJsonText(const std::string& text, const std::string& where) {
    // One key set per open object; the parser reports each key before its value.
    std::vector<std::set<std::string>> keysOfOpenObjects;
    std::string duplicate;
    const auto watchKeys = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        if (event == Event::object_start)
            keysOfOpenObjects.emplace_back();
        else if (event == Event::object_end && !keysOfOpenObjects.empty())
            keysOfOpenObjects.pop_back();
        else if (event == Event::key && !keysOfOpenObjects.empty() && duplicate.empty() &&
                 !keysOfOpenObjects.back().insert(parsed.get<std::string>()).second)
            duplicate = parsed.get<std::string>();
        return true;
    };
    nlohmann::json result;
    try {
        result = nlohmann::json::parse(text, watchKeys);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(ErrorKind::Format,
                    where + ": not valid JSON: " + e.what()); // e.what() has line and column
    }
    if (!duplicate.empty())
        throw Error(ErrorKind::Format, where + ": key '" + duplicate +
                                           "' appears twice in one object (which one is meant?)");
    return result;
}

} // namespace rd
