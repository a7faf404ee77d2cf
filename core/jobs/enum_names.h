// An enumeration's words, listed once beside it, for every place that reads or writes them (job
// specs, events, error messages):
//   enum class Stage { Reward, Grounding };
//   inline constexpr jobs::EnumName<Stage> kStageNames[] = {{Stage::Reward, "reward"}, ...};
//   jobs::nameOf(kStageNames, Stage::Grounding)   // "grounding"
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rd::jobs {

template <class E> struct EnumName {
    E value;
    const char* name;
};

template <class E, std::size_t N> const char* nameOf(const EnumName<E> (&names)[N], E value) {
    for (const EnumName<E>& n : names)
        if (n.value == value)
            return n.name;
    return names[0].name; // unreachable for a complete list
}

template <class E, std::size_t N>
std::optional<E> valueNamed(const EnumName<E> (&names)[N], const std::string& name) {
    for (const EnumName<E>& n : names)
        if (name == n.name)
            return n.value;
    return std::nullopt;
}

template <class E, std::size_t N> std::vector<std::string> namesOf(const EnumName<E> (&names)[N]) {
    std::vector<std::string> out;
    for (const EnumName<E>& n : names)
        out.emplace_back(n.name);
    return out;
}

} // namespace rd::jobs
