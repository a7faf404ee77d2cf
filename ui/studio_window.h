// The studio's main window. This first landing holds the Label view (GSB sessions); a study
// and an annotator are picked when a workspace opens. File > Open workspace, a recent list and
// the last annotator persist in QSettings; the status bar shows the workspace and the progress.
#pragma once

#include <QMainWindow>

#include <filesystem>
#include <memory>

class QLabel;
class QMenu;

namespace rd::store {
class Workspace;
}

namespace rd::ui {

class LabelView;

class StudioWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit StudioWindow(QWidget* parent = nullptr);
    ~StudioWindow() override;

    // Opens a workspace and starts labeling `study` as `annotator`; an empty study or annotator
    // asks for them. Returns false (with a message shown) when it cannot.
    bool openWorkspace(const std::filesystem::path& folder, const QString& study = {},
                       const QString& annotator = {});
    LabelView* labelView() const { return m_label; }

private:
    void chooseWorkspace();
    void rebuildRecentMenu();
    void showError(const QString& message);

    std::unique_ptr<store::Workspace> m_workspace;
    LabelView* m_label = nullptr;
    QLabel* m_status;
    QMenu* m_recent;
};

} // namespace rd::ui
