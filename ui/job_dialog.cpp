#include "ui/job_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>

#include <algorithm>
#include <limits>

namespace rd::ui {

namespace {

QWidget* editorFor(const JobField& field, const QString& workspace, QWidget* parent) {
    switch (field.type) {
    case FieldType::Int: {
        auto* box = new QSpinBox(parent);
        const double most = std::numeric_limits<int>::max();
        box->setRange(static_cast<int>(std::max(field.minimum, -most)),
                      static_cast<int>(std::min(field.maximum, most)));
        box->setValue(field.value.toInt());
        return box;
    }
    case FieldType::Real: {
        auto* box = new QDoubleSpinBox(parent);
        box->setRange(field.minimum, field.maximum);
        box->setDecimals(6);
        box->setValue(field.value.toDouble());
        return box;
    }
    case FieldType::Bool: {
        auto* box = new QCheckBox(parent);
        box->setChecked(field.value.toBool());
        return box;
    }
    case FieldType::Choice: {
        auto* box = new QComboBox(parent);
        box->addItems(field.choices);
        box->setCurrentText(field.value.toString());
        return box;
    }
    case FieldType::Path:
    case FieldType::Text:
        break;
    }
    auto* line = new QLineEdit(field.value.toString(), parent);
    line->setPlaceholderText(
        field.type == FieldType::Path ? QObject::tr("relative to the workspace")
        : field.choices.isEmpty()     ? QString()
                                      : QObject::tr("any of: %1").arg(field.choices.join(' ')));
    Q_UNUSED(workspace);
    return line;
}

QVariant valueOf(const JobField& field, QWidget* editor) {
    switch (field.type) {
    case FieldType::Int:
        return static_cast<QSpinBox*>(editor)->value();
    case FieldType::Real:
        return static_cast<QDoubleSpinBox*>(editor)->value();
    case FieldType::Bool:
        return static_cast<QCheckBox*>(editor)->isChecked();
    case FieldType::Choice:
        return static_cast<QComboBox*>(editor)->currentText();
    case FieldType::Path:
    case FieldType::Text:
        break;
    }
    return static_cast<QLineEdit*>(editor)->text().trimmed();
}

} // namespace

JobDialog::JobDialog(const JobKind& kind, const QString& workspace, QWidget* parent)
    : QDialog(parent), m_kind(kind) {
    setWindowTitle(kind.title);
    auto* form = new QFormLayout(this);
    for (const JobField& field : kind.fields) {
        QWidget* editor = editorFor(field, workspace, this);
        editor->setToolTip(field.help);
        m_editors.push_back(editor);
        const QString label = field.required ? field.label + " *" : field.label;
        if (field.type != FieldType::Path) {
            form->addRow(label, editor);
            continue;
        }
        // Paths get a folder picker, answered relative to the workspace when inside it.
        auto* row = new QHBoxLayout;
        auto* browse = new QPushButton(tr("..."), this);
        row->addWidget(editor, 1);
        row->addWidget(browse);
        connect(browse, &QPushButton::clicked, this, [this, editor, workspace] {
            const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder"), workspace);
            if (folder.isEmpty())
                return;
            const QString prefix = workspace + "/";
            static_cast<QLineEdit*>(editor)->setText(
                folder.startsWith(prefix) ? folder.mid(prefix.size()) : folder);
        });
        form->addRow(label, row);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Queue"));
    connect(buttons, &QDialogButtonBox::accepted, this, &JobDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

std::vector<QVariant> JobDialog::values() const {
    std::vector<QVariant> out;
    for (size_t i = 0; i < m_kind.fields.size(); ++i)
        out.push_back(valueOf(m_kind.fields[i], m_editors[i]));
    return out;
}

void JobDialog::accept() {
    const QString missing = missingFields(m_kind, values());
    if (!missing.isEmpty()) {
        QMessageBox::warning(this, m_kind.title, tr("Please fill in: %1").arg(missing));
        return;
    }
    QDialog::accept();
}

} // namespace rd::ui
