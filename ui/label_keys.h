// The Label view's keys (issue "The studio"): Left/A/1 = left better, Right/D/2 = right better,
// Down/S/3 = same, Backspace = undo, Space = play/pause, comma/period = frame step back/forward.
#pragma once

#include <optional>

namespace rd::ui {

enum class LabelAction {
    LeftBetter = 1,
    RightBetter,
    Same,
    Undo,
    PlayPause,
    StepBack,
    StepForward
};

// Qt key code -> action; nullopt for keys the view does not use.
std::optional<LabelAction> labelActionForKey(int qtKey);

} // namespace rd::ui
