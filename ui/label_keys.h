// The Label view's keys (issue "The studio"), remappable. Defaults: Left/A/1 = left better,
// Right/D/2 = right better, Down/S/3 = same, Backspace = undo, Space = play/pause, comma/period =
// frame step back/forward. A user's map persists in QSettings under "label/keys/<action>" as
// space-separated key names ("Left A 1").
#pragma once

#include <QList>
#include <QString>

#include <map>
#include <optional>

class QSettings;

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

class LabelKeyMap {
public:
    static LabelKeyMap defaults();
    // The saved map; actions never saved keep their default keys.
    static LabelKeyMap load(const QSettings& settings);
    void save(QSettings& settings) const;

    std::optional<LabelAction> actionFor(int qtKey) const;
    QList<int> keysFor(LabelAction action) const;
    // Binds the keys to the action; a key bound elsewhere moves here.
    void setKeys(LabelAction action, const QList<int>& keys);

    static const QList<LabelAction>& actions();
    static QString actionName(LabelAction action);  // "left better", ...
    static QString settingsKey(LabelAction action); // "label/keys/left_better"
    // "Left A 1" <-> key codes; nullopt when a word names no key.
    static std::optional<QList<int>> parseKeys(const QString& text);
    static QString keysText(const QList<int>& keys);

private:
    std::map<LabelAction, QList<int>> m_keys;
};

} // namespace rd::ui
