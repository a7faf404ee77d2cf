// Remaps the Label view's keys: one line per action holding its keys by name ("Left A 1").
#pragma once

#include "ui/label_keys.h"

#include <QDialog>

#include <vector>

class QLineEdit;

namespace rd::ui {

class KeyMapDialog : public QDialog {
    Q_OBJECT

public:
    explicit KeyMapDialog(const LabelKeyMap& keys, QWidget* parent = nullptr);
    const LabelKeyMap& keys() const { return m_keys; }
    void accept() override; // refuses a key name it cannot read, naming it

private:
    LabelKeyMap m_keys;
    std::vector<QLineEdit*> m_lines;
};

} // namespace rd::ui
