// The Train view (issue "The studio"): a form per job kind (RM training and sweep, generator SFT,
// ReFL, search) that writes the job spec into the workspace's jobs/ folder and queues `rdance`;
// the queue with each job's state, progress and time left; the selected job's live log; cancel;
// under the queue, the trainings running in the workspace that the studio did not start.
// Below, the Runs view follows the metrics the jobs write (curves, reward band, variance
// bubbles, collapse alert).
#pragma once

#include "ui/job_kinds.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace rd::store {
class Workspace;
}

namespace rd::ui {

class JobQueue;
class OutsideRuns;
class RunsView;

class TrainView : public QWidget {
    Q_OBJECT

public:
    TrainView(store::Workspace& ws, const QString& rdanceProgram, QWidget* parent = nullptr);

    // Writes the spec (spec-driven kinds) and queues the job; returns its queue id. Throws
    // rd::Error naming the spec file when it cannot be written.
    int submit(const JobKind& kind, const std::vector<QVariant>& values);
    JobQueue* queue() const { return m_queue; }
    RunsView* runs() const { return m_runs; }
    OutsideRuns* outsideRuns() const { return m_outside; }

private:
    void newJob(const JobKind& kind);
    void showJobs();
    void showSelected();
    void showProgress();
    int selectedJob() const;

    store::Workspace& m_ws;
    JobQueue* m_queue;
    RunsView* m_runs;
    OutsideRuns* m_outside;
    QListWidget* m_list;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_eta;
    QPlainTextEdit* m_log;
    QHash<int, int> m_states; // job id -> state shown in the list
};

} // namespace rd::ui
