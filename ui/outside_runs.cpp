#include "ui/outside_runs.h"

#include "jobs/job_names.h"
#include "store/run_locks.h"
#include "store/run_repository.h"
#include "store/workspace.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace rd::ui {

namespace {

// "rm_train #12 rm-s: step 340 of 4000, loss 0.412"
QString lineFor(store::Workspace& ws, const store::RunRecord& run) {
    const QJsonObject config =
        QJsonDocument::fromJson(QByteArray::fromStdString(run.configJson)).object();
    QString text = QString("%1 #%2").arg(QString::fromStdString(run.kind)).arg(run.id);
    if (config.contains("name"))
        text += " " + config.value("name").toString();
    const auto loss = ws.runs().lastMetric(run.id, jobs::metrics::kTrainLoss);
    if (!loss)
        return text + QObject::tr(": starting");
    text += QObject::tr(": step %1").arg(loss->step);
    const qint64 steps = config.value("steps").toInteger();
    const double budget = config.value("time_limit_s").toDouble();
    if (steps > 0)
        text += QObject::tr(" of %1").arg(steps);
    else if (budget > 0)
        text += QObject::tr(" (%1 s budget)").arg(budget);
    return text + QObject::tr(", loss %1").arg(loss->value, 0, 'g', 4);
}

} // namespace

OutsideRuns::OutsideRuns(store::Workspace& ws, OwnRuns ownRuns, QWidget* parent)
    : QListWidget(parent), m_ws(ws), m_ownRuns(std::move(ownRuns)) {
    refresh();
}

void OutsideRuns::refresh() {
    showRuns(m_ws.runs().list());
}

void OutsideRuns::showRuns(const std::vector<store::RunRecord>& runs) {
    const QSet<qint64> own = m_ownRuns();
    QStringList lines;
    for (const store::RunRecord& run : runs)
        if (run.status == store::RunStatus::Running && !own.contains(run.id) &&
            store::runIsHeld(m_ws.folder(), run.id))
            lines << lineFor(m_ws, run);
    if (lines == this->lines())
        return;
    const int before = count();
    clear();
    addItems(lines);
    if (count() != before)
        emit countChanged(count());
}

QStringList OutsideRuns::lines() const {
    QStringList out;
    for (int row = 0; row < count(); ++row)
        out << item(row)->text();
    return out;
}

} // namespace rd::ui
