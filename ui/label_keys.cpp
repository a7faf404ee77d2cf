#include "ui/label_keys.h"

#include <Qt>

namespace rd::ui {

std::optional<LabelAction> labelActionForKey(int key) {
    switch (key) {
    case Qt::Key_Left:
    case Qt::Key_A:
    case Qt::Key_1:
        return LabelAction::LeftBetter;
    case Qt::Key_Right:
    case Qt::Key_D:
    case Qt::Key_2:
        return LabelAction::RightBetter;
    case Qt::Key_Down:
    case Qt::Key_S:
    case Qt::Key_3:
        return LabelAction::Same;
    case Qt::Key_Backspace:
        return LabelAction::Undo;
    case Qt::Key_Space:
        return LabelAction::PlayPause;
    case Qt::Key_Comma:
        return LabelAction::StepBack;
    case Qt::Key_Period:
        return LabelAction::StepForward;
    default:
        return std::nullopt;
    }
}

} // namespace rd::ui
