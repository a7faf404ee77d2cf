#include "store/records.h"

#include <array>
#include <utility>

namespace rd::store {

namespace {

// One table per enum: value <-> text. Enums start at 1, so index = value - 1.
template <typename Enum, size_t N>
const char* nameOf(Enum value, const std::array<const char*, N>& names) {
    return names.at(static_cast<size_t>(value) - 1);
}

template <typename Enum, size_t N>
std::optional<Enum> parseName(const std::string& text, const std::array<const char*, N>& names) {
    for (size_t i = 0; i < N; ++i)
        if (text == names[i])
            return static_cast<Enum>(i + 1);
    return std::nullopt;
}

constexpr std::array<const char*, 2> kMediaKinds{"image", "video"};
constexpr std::array<const char*, 4> kPreferences{"a", "b", "tie", "unknown"};
constexpr std::array<const char*, 3> kPairSources{"human", "synthetic", "import"};
constexpr std::array<const char*, 3> kVerdicts{"G", "S", "B"};
constexpr std::array<const char*, 5> kRunStatuses{"queued", "running", "done", "failed",
                                                  "cancelled"};
constexpr std::array<const char*, 2> kJudgeOrders{"ab", "ba"};
constexpr std::array<const char*, 3> kItemRoles{"normal", "honeypot", "repeat"};

} // namespace

const char* toString(MediaKind v) {
    return nameOf(v, kMediaKinds);
}
const char* toString(Preference v) {
    return nameOf(v, kPreferences);
}
const char* toString(PairSource v) {
    return nameOf(v, kPairSources);
}
const char* toString(Verdict v) {
    return nameOf(v, kVerdicts);
}
const char* toString(RunStatus v) {
    return nameOf(v, kRunStatuses);
}
const char* toString(JudgeOrder v) {
    return nameOf(v, kJudgeOrders);
}
const char* toString(ItemRole v) {
    return nameOf(v, kItemRoles);
}

std::optional<MediaKind> parseMediaKind(const std::string& t) {
    return parseName<MediaKind>(t, kMediaKinds);
}
std::optional<Preference> parsePreference(const std::string& t) {
    return parseName<Preference>(t, kPreferences);
}
std::optional<PairSource> parsePairSource(const std::string& t) {
    return parseName<PairSource>(t, kPairSources);
}
std::optional<Verdict> parseVerdict(const std::string& t) {
    return parseName<Verdict>(t, kVerdicts);
}
std::optional<RunStatus> parseRunStatus(const std::string& t) {
    return parseName<RunStatus>(t, kRunStatuses);
}
std::optional<JudgeOrder> parseJudgeOrder(const std::string& t) {
    return parseName<JudgeOrder>(t, kJudgeOrders);
}
std::optional<ItemRole> parseItemRole(const std::string& t) {
    return parseName<ItemRole>(t, kItemRoles);
}

} // namespace rd::store
