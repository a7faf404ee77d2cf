#include "ui/key_map_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>

namespace rd::ui {

KeyMapDialog::KeyMapDialog(const LabelKeyMap& keys, QWidget* parent)
    : QDialog(parent), m_keys(keys) {
    setWindowTitle(tr("Label keys"));
    auto* form = new QFormLayout(this);
    form->addRow(new QLabel(tr("Keys by name, separated by spaces (e.g. \"Left A 1\")."), this));
    for (LabelAction action : LabelKeyMap::actions()) {
        auto* line = new QLineEdit(LabelKeyMap::keysText(keys.keysFor(action)), this);
        m_lines.push_back(line);
        form->addRow(LabelKeyMap::actionName(action), line);
    }
    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &KeyMapDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] {
                const LabelKeyMap defaults = LabelKeyMap::defaults();
                for (int i = 0; i < LabelKeyMap::actions().size(); ++i)
                    m_lines[size_t(i)]->setText(
                        LabelKeyMap::keysText(defaults.keysFor(LabelKeyMap::actions()[i])));
            });
    form->addRow(buttons);
}

void KeyMapDialog::accept() {
    LabelKeyMap keys = LabelKeyMap::defaults();
    for (int i = 0; i < LabelKeyMap::actions().size(); ++i) {
        const LabelAction action = LabelKeyMap::actions()[i];
        const auto parsed = LabelKeyMap::parseKeys(m_lines[size_t(i)]->text());
        if (!parsed) {
            QMessageBox::warning(
                this, windowTitle(),
                tr("\"%1\" for %2 is not a list of key names.")
                    .arg(m_lines[size_t(i)]->text(), LabelKeyMap::actionName(action)));
            return;
        }
        keys.setKeys(action, *parsed);
    }
    m_keys = keys;
    QDialog::accept();
}

} // namespace rd::ui
