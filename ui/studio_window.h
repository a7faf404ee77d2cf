// The studio's main window: the Label view (GSB sessions; a study and an annotator are picked
// when a workspace opens) and the Runs view (jobs and their learning curves). File > Open
// workspace, a recent list and the last annotator persist in QSettings; the status bar shows the
// workspace and the labeling progress.
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
    // Shows a tab: "label", "inspect", "train" or "results".
    void showView(const QString& name);

private:
    bool startLabeling(QString study, QString annotator);
    QWidget* labelStartPage();
    void chooseWorkspace();
    void rebuildRecentMenu();
    void showError(const QString& message);

    std::unique_ptr<store::Workspace> m_workspace;
    LabelView* m_label = nullptr;
    InspectView* m_inspect = nullptr;
    ResultsView* m_results = nullptr;
    RunsView* m_runsView = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_status;
    QMenu* m_recent;
};

} // namespace rd::ui
