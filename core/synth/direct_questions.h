// Grounding questions whose answers are read straight off the scene, none of them XOR-shaped
// (issue "Reward models that really judge"): a yes/no question about a relation, asked with the
// true relation or its inverse, has no single feature that predicts its answer, and a small model
// trained from scratch sits at chance on it for thousands of steps. These ask instead:
//   where  "Where is the red circle?"                          -> "top left" (3x3 place words)
//   which  "Which is further left, the red circle or the blue square?"  -> "the red circle"
//   count  "How many circles are there?"                       -> "two" ("none")
//   presence "Is there a red circle?"                          -> "yes" / "no" (balanced)
//   relation "Is the red circle left of the blue square?"      -> a chain, never a bare yes/no:
//            "red circle: top left; blue square: right; so the red circle is left of the blue
//             square. Answer: yes"
// and "caption", the description with each object's place.
//
// Usage:
//   Rng rng(seed);
//   std::optional<DirectQuestion> q = askDirect(DirectKind::Where, objects, rng);
//   q->question; q->answer;
#pragma once

#include "synth/alignment_judge.h"
#include "synth/rng.h"

#include <optional>
#include <string>
#include <vector>

namespace rd::synth {

enum class DirectKind { Caption = 1, Where, Which, Count, Presence, Relation };

inline constexpr DirectKind kDirectKinds[] = {DirectKind::Caption,  DirectKind::Where,
                                              DirectKind::Which,    DirectKind::Count,
                                              DirectKind::Presence, DirectKind::Relation};
const char* name(DirectKind kind); // "caption", "where", "which", "count", "presence", "relation"
std::optional<DirectKind> parseDirectKind(const std::string& text);

struct DirectQuestion {
    DirectKind kind = DirectKind::Where;
    std::string question;
    std::string answer;
};

// A question of this kind about a still image's objects, or nothing when the scene cannot carry
// one ("which" and "relation" need two objects, each the only one of its kind, in a clear
// direction). The caption needs the prompt's spec for its word order: pass it in `spec`.
std::optional<DirectQuestion> askDirect(DirectKind kind, const PromptSpec& spec,
                                        const std::vector<ObservedObject>& objects, Rng& rng);

} // namespace rd::synth
