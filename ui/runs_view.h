// The Runs view: the workspace's jobs (RM training, grounding, evaluations, sweeps) and their
// learning curves. Select one or more runs and a metric (train/loss, val/accuracy, ...): one
// curve per run, overlaid, drawn with QCustomPlot. It re-reads the metrics table every two
// seconds, so a job running in another process is followed live (WAL lets us read meanwhile).
// For ReFL runs the reward curve (refl/reward_mean) gets its +-std band and the sliding-window
// reward variance drawn as bubbles (the paper's Figure 5), and an alert names any selected run
// whose window variance collapsed (reward hacking / mode collapse). A run whose process died
// (its lease is free, jobs/run_lease.h) is marked failed when the view refreshes.
#pragma once

#include "store/records.h"

#include <QWidget>

#include <functional>
#include <vector>

class QComboBox;
class QLabel;
class QCustomPlot;
class QListWidget;
class QTimer;

namespace rd::store {
class Workspace;
}

namespace rd::ui {

class RunsView : public QWidget {
    Q_OBJECT

public:
    explicit RunsView(store::Workspace& workspace, QWidget* parent = nullptr);

    void refresh(); // re-reads the runs and redraws
    void selectRuns(const std::vector<store::RowId>& runIds);
    // The newest training run (RM, grounding, generator, ReFL), if any: what a user opening
    // the view wants.
    void selectLatestTraining();
    void setMetric(const QString& name);
    QCustomPlot* plot() const { return m_plot; }
    int runCount() const;
    QString alertText() const;     // empty when no selected run's reward variance collapsed
    QString readErrorText() const; // why the workspace could not be read; empty when it could
    QString emptyHintText() const; // what to do when there are no runs; empty when there are

signals:
    // The runs each refresh read (every two seconds), for the views that list them too.
    void runsRead(const std::vector<store::RunRecord>& runs);

private:
    // Runs `read` (which reads the workspace and updates the view); a database error is shown in
    // the view instead of escaping from a timer or signal, and the next refresh tries again.
    void showWorkspace(const std::function<void()>& read);
    void refreshMetricNames();
    void redraw();
    void drawRewardBandAndBubbles(store::RowId run, const QColor& color);
    void updateCollapseAlert();
    std::vector<store::RowId> selectedRuns() const;

    store::Workspace& m_workspace;
    QListWidget* m_runs;
    QComboBox* m_metric;
    QCustomPlot* m_plot;
    QLabel* m_alert;
    QLabel* m_readError;
    QLabel* m_emptyHint;
    QTimer* m_timer;
};

} // namespace rd::ui
