// The form of one job kind (ui/job_kinds.h): a field per row with the spec's defaults; OK is
// refused while a required field is empty.
#pragma once

#include "ui/job_kinds.h"

#include <QDialog>

#include <vector>

namespace rd::ui {

class JobDialog : public QDialog {
    Q_OBJECT

public:
    JobDialog(const JobKind& kind, const QString& workspace, QWidget* parent = nullptr);
    std::vector<QVariant> values() const;

    void accept() override;

private:
    const JobKind& m_kind;
    std::vector<QWidget*> m_editors;
};

} // namespace rd::ui
