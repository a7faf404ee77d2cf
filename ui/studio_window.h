// The studio's main window, four views over one workspace: Label (GSB sessions; a study and an
// annotator are picked when a workspace opens), Inspect (pairs and RM judgments), Train (job
// forms, the queue, learning curves) and Results (tables and charts, exported). File > Open
// workspace, File > New workspace, the demo workspace offered on the first run; a recent list,
// the last annotator and the key map persist in QSettings; the status bar shows the workspace,
// the labeling progress and the job state.
#pragma once

#include <QMainWindow>

#include <filesystem>
#include <memory>

class QLabel;
class QMenu;
class QTabWidget;

namespace rd::store {
class Workspace;
}

namespace rd::ui {

class InspectView;
class LabelView;
class ResultsView;
class RunsView;
class TrainView;

class StudioWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit StudioWindow(QWidget* parent = nullptr);
    ~StudioWindow() override;

    // Opens a workspace and starts labeling `study` as `annotator` (an empty study or annotator
    // asks for them). Returns false (with a message shown) when the workspace cannot open.
    bool openWorkspace(const std::filesystem::path& folder, const QString& study = {},
                       const QString& annotator = {});
    LabelView* labelView() const { return m_label; }
    InspectView* inspectView() const { return m_inspect; }
    RunsView* runsView() const { return m_runsView; }
    ResultsView* resultsView() const { return m_results; }
    TrainView* trainView() const { return m_train; }
    // On the first run (no recent workspace, none open) asks whether to build the demo workspace.
    void offerDemoOnFirstRun();
    // Builds the demo workspace (or opens it when it exists) and opens it.
    bool createDemo();
    // Shows a tab: "label", "inspect", "train" or "results".
    void showView(const QString& name);

protected:
    void closeEvent(QCloseEvent* event) override; // asks before cancelling running jobs

private:
    // True when no job would be cancelled by leaving the workspace, or the user agrees.
    bool mayEndJobs();
    bool startLabeling(QString study, QString annotator);
    QWidget* labelStartPage();
    void chooseWorkspace();
    void newWorkspace();
    void rebuildRecentMenu();
    void showError(const QString& message);
    void showJobState(); // the status bar's job part
    void editKeys();     // Label > Keys: remap and save the Label view's keys

    std::unique_ptr<store::Workspace> m_workspace;
    LabelView* m_label = nullptr;
    InspectView* m_inspect = nullptr;
    ResultsView* m_results = nullptr;
    TrainView* m_train = nullptr;
    RunsView* m_runsView = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_status;
    QLabel* m_jobStatus;
    QMenu* m_recent;
};

} // namespace rd::ui
