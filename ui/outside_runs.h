// The trainings running in the workspace that this studio did not start (`rdance` in a
// terminal, a script, another studio): each run whose row says running and whose lease a live
// process holds (store/run_locks.h), with its step of its steps and its latest loss. The Train
// view shows it under its own job list and feeds it the runs its Runs view reads every two
// seconds (showRuns()), so the runs table is read once.
#pragma once

#include "store/records.h"

#include <QListWidget>
#include <QSet>

#include <functional>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::ui {

class OutsideRuns : public QListWidget {
    Q_OBJECT

public:
    // ownRuns: the runs the studio's own queue started (left out).
    using OwnRuns = std::function<QSet<qint64>()>;
    OutsideRuns(store::Workspace& ws, OwnRuns ownRuns, QWidget* parent = nullptr);

    void refresh(); // reads the runs itself
    void showRuns(const std::vector<store::RunRecord>& runs);
    QStringList lines() const;

signals:
    void countChanged(int count);

private:
    store::Workspace& m_ws;
    OwnRuns m_ownRuns;
};

} // namespace rd::ui
