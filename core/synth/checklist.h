// The checklist rationale: what an image shows against its prompt, one short statement per
// constraint the judge checks - each object's presence and place, each count, each colour, each
// relation, the motion of a clip - each ending in "yes" or "no", then the verdict. It is our
// stand-in for the paper's teacher-distilled chain-of-thought (§3.2.1, Table 9): a chain of steps
// that each have a direct target, which is what lets a small RM learn to judge at all (a bare
// yes/no over a relation is XOR-shaped: issue "Reward models that really judge").
//
// Usage:
//   Checklist c = writeChecklist(parsePrompt("a red circle left of a blue square"), seen);
//   c.itemsText();      // "a red circle: top left, yes; a blue square: right, yes;
//                       //  the red circle is left of the blue square: top left and right,
//                       //  left of, yes" (where each stands, the relation that holds, verdict)
//   c.decisionFirst();  // "yes. <items>."            (the pointwise RM's decision-first answer)
//   c.reasoningFirst(); // "<items>. Answer: yes"     (reasoning first)
#pragma once

#include "synth/alignment_judge.h"

#include <string>
#include <vector>

namespace rd::synth {

struct ChecklistItem {
    ConstraintKind kind = ConstraintKind::ShapePresent;
    std::string text; // "exactly three red circles: two, no"
    bool met = false;
};

struct Checklist {
    std::vector<ChecklistItem> items;
    bool satisfied = false; // every item met: the verdict

    std::string itemsText() const; // the items joined by "; "
    std::string decisionFirst() const;
    std::string reasoningFirst() const;
};

Checklist writeChecklist(const PromptSpec& spec, const Observation& seen);

} // namespace rd::synth
