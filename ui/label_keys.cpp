#include "ui/label_keys.h"

#include "common/error.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeySequence>
#include <QSettings>
#include <QStringList>

namespace rd::ui {

namespace {

struct ActionInfo {
    LabelAction action;
    const char* name;
    const char* id; // the settings key's last word and the key in resources/label_keys.json
};

const QList<ActionInfo>& infos() {
    static const QList<ActionInfo> list = {
        {LabelAction::LeftBetter, "left better", "left_better"},
        {LabelAction::RightBetter, "right better", "right_better"},
        {LabelAction::Same, "same", "same"},
        {LabelAction::Undo, "undo", "undo"},
        {LabelAction::PlayPause, "play / pause", "play_pause"},
        {LabelAction::StepBack, "frame back", "step_back"},
        {LabelAction::StepForward, "frame forward", "step_forward"},
    };
    return list;
}

// The default keys, from resources/label_keys.json (compiled in as a Qt resource).
QJsonObject defaultKeyWords() {
    QFile file(":/label_keys.json");
    if (!file.open(QIODevice::ReadOnly))
        throw Error(ErrorKind::Internal, "the studio's resource :/label_keys.json is missing");
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (!document.isObject())
        throw Error(ErrorKind::Internal, ":/label_keys.json: " + error.errorString().toStdString());
    return document.object();
}

const ActionInfo& info(LabelAction action) {
    for (const ActionInfo& i : infos())
        if (i.action == action)
            return i;
    return infos().front();
}

} // namespace

LabelKeyMap LabelKeyMap::defaults() {
    static const LabelKeyMap map = [] {
        const QJsonObject words = defaultKeyWords();
        LabelKeyMap m;
        for (const ActionInfo& i : infos()) {
            const auto keys = parseKeys(words.value(i.id).toString());
            if (!keys || keys->isEmpty())
                throw Error(ErrorKind::Internal,
                            std::string(":/label_keys.json: no keys for \"") + i.id + "\"");
            m.m_keys[i.action] = *keys;
        }
        return m;
    }();
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
