#include "ui/label_keys.h"

#include <QKeySequence>
#include <QSettings>
#include <QStringList>

namespace rd::ui {

namespace {

struct ActionInfo {
    LabelAction action;
    const char* name;
    const char* id;
    QList<int> keys;
};

const QList<ActionInfo>& infos() {
    static const QList<ActionInfo> list = {
        {LabelAction::LeftBetter,
         "left better",
         "left_better",
         {Qt::Key_Left, Qt::Key_A, Qt::Key_1}},
        {LabelAction::RightBetter,
         "right better",
         "right_better",
         {Qt::Key_Right, Qt::Key_D, Qt::Key_2}},
        {LabelAction::Same, "same", "same", {Qt::Key_Down, Qt::Key_S, Qt::Key_3}},
        {LabelAction::Undo, "undo", "undo", {Qt::Key_Backspace}},
        {LabelAction::PlayPause, "play / pause", "play_pause", {Qt::Key_Space}},
        {LabelAction::StepBack, "frame back", "step_back", {Qt::Key_Comma}},
        {LabelAction::StepForward, "frame forward", "step_forward", {Qt::Key_Period}},
    };
    return list;
}

const ActionInfo& info(LabelAction action) {
    for (const ActionInfo& i : infos())
        if (i.action == action)
            return i;
    return infos().front();
}

} // namespace

LabelKeyMap LabelKeyMap::defaults() {
    LabelKeyMap map;
    for (const ActionInfo& i : infos())
        map.m_keys[i.action] = i.keys;
    return map;
}

LabelKeyMap LabelKeyMap::load(const QSettings& settings) {
    LabelKeyMap map = defaults();
    for (LabelAction action : actions()) {
        const QVariant saved = settings.value(settingsKey(action));
        if (!saved.isValid())
            continue;
        if (const auto keys = parseKeys(saved.toString()))
            map.setKeys(action, *keys);
    }
    return map;
}

void LabelKeyMap::save(QSettings& settings) const {
    for (LabelAction action : actions())
        settings.setValue(settingsKey(action), keysText(keysFor(action)));
}

std::optional<LabelAction> LabelKeyMap::actionFor(int qtKey) const {
    for (const auto& [action, keys] : m_keys)
        if (keys.contains(qtKey))
            return action;
    return std::nullopt;
}

QList<int> LabelKeyMap::keysFor(LabelAction action) const {
    const auto at = m_keys.find(action);
    return at == m_keys.end() ? QList<int>() : at->second;
}

void LabelKeyMap::setKeys(LabelAction action, const QList<int>& keys) {
    for (auto& [other, bound] : m_keys)
        for (int key : keys)
            bound.removeAll(key);
    m_keys[action] = keys;
}

const QList<LabelAction>& LabelKeyMap::actions() {
    static const QList<LabelAction> list = [] {
        QList<LabelAction> out;
        for (const ActionInfo& i : infos())
            out << i.action;
        return out;
    }();
    return list;
}

QString LabelKeyMap::actionName(LabelAction action) {
    return QString::fromLatin1(info(action).name);
}

QString LabelKeyMap::settingsKey(LabelAction action) {
    return QString("label/keys/") + info(action).id;
}

std::optional<QList<int>> LabelKeyMap::parseKeys(const QString& text) {
    QList<int> keys;
    for (const QString& word : text.split(' ', Qt::SkipEmptyParts)) {
        const QKeySequence sequence = QKeySequence::fromString(word, QKeySequence::PortableText);
        if (sequence.count() != 1 || sequence[0].keyboardModifiers() != Qt::NoModifier ||
            sequence[0].key() == Qt::Key_unknown ||
            QKeySequence(sequence[0].key())
                    .toString(QKeySequence::PortableText)
                    .compare(word, Qt::CaseInsensitive) != 0) // a word Qt reads as something else
            return std::nullopt;
        keys << int(sequence[0].key());
    }
    return keys;
}

QString LabelKeyMap::keysText(const QList<int>& keys) {
    QStringList words;
    for (int key : keys)
        words << QKeySequence(key).toString(QKeySequence::PortableText);
    return words.join(' ');
}

} // namespace rd::ui
