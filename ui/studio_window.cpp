#include "ui/studio_window.h"

#include "common/error.h"
#include "label/labeling_session.h"
#include "store/gsb_repository.h"
#include "store/workspace.h"
#include "ui/label_view.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace rd::ui {

namespace {

constexpr int kRecentCount = 8;

// Asks for a study of the workspace and an annotator name; false when cancelled.
bool askSession(QWidget* parent, store::Workspace& ws, QString& study, QString& annotator) {
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Start labeling"));
    auto* studies = new QComboBox(&dialog);
    for (const auto& s : ws.gsb().listStudies())
        studies->addItem(QString::fromStdString(s.name));
    auto* name = new QLineEdit(annotator, &dialog);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* form = new QFormLayout(&dialog);
    form->addRow(QObject::tr("GSB study"), studies);
    form->addRow(QObject::tr("Annotator"), name);
    form->addRow(buttons);
    if (studies->count() == 0) {
        QMessageBox::information(parent, QObject::tr("No studies"),
                                 QObject::tr("This workspace has no GSB study to label yet."));
        return false;
    }
    if (dialog.exec() != QDialog::Accepted || name->text().trimmed().isEmpty())
        return false;
    study = studies->currentText();
    annotator = name->text().trimmed();
    return true;
}

} // namespace

StudioWindow::StudioWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("RewardDance Studio"));
    resize(1100, 720);
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open workspace..."), QKeySequence::Open, this,
                    &StudioWindow::chooseWorkspace);
    m_recent = file->addMenu(tr("Open &recent"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    m_status = new QLabel(tr("No workspace open"), this);
    statusBar()->addWidget(m_status, 1);
    auto* empty =
        new QLabel(tr("Open a workspace (File > Open workspace) to start labeling."), this);
    empty->setAlignment(Qt::AlignCenter);
    setCentralWidget(empty);
    rebuildRecentMenu();
}

StudioWindow::~StudioWindow() {
    delete takeCentralWidget(); // the view holds a session over the workspace: delete it first
}

void StudioWindow::showError(const QString& message) {
    m_status->setText(message);
    if (isVisible())
        QMessageBox::warning(this, tr("RewardDance Studio"), message);
}

bool StudioWindow::openWorkspace(const std::filesystem::path& folder, const QString& studyName,
                                 const QString& annotatorName) {
    QSettings settings;
    QString study = studyName;
    QString annotator =
        annotatorName.isEmpty() ? settings.value("label/annotator").toString() : annotatorName;
    try {
        auto ws = store::Workspace::open(folder);
        if (study.isEmpty() || annotatorName.isEmpty())
            if (!askSession(this, *ws, study, annotator))
                return false;
        auto session =
            label::LabelingSession::open(*ws, study.toStdString(), annotator.toStdString());
        delete takeCentralWidget();
        m_workspace = std::move(ws);
        m_label = new LabelView(std::move(session), this);
        setCentralWidget(m_label);
        m_label->setFocus();
        const QString where = QString::fromStdString(m_workspace->folder().string());
        auto status = [this, where, study, annotator] {
            m_status->setText(tr("%1  -  %2  -  %3  -  %4")
                                  .arg(where, study, annotator, m_label->progressText()));
        };
        connect(m_label, &LabelView::judged, this, status);
        connect(m_label, &LabelView::failed, this, &StudioWindow::showError);
        status();
        settings.setValue("label/annotator", annotator);
        QStringList recent = settings.value("workspaces/recent").toStringList();
        recent.removeAll(where);
        recent.prepend(where);
        settings.setValue("workspaces/recent", recent.mid(0, kRecentCount));
        rebuildRecentMenu();
        return true;
    } catch (const Error& e) {
        showError(QString::fromUtf8(e.what()));
        return false;
    }
}

void StudioWindow::chooseWorkspace() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open workspace"));
    if (!folder.isEmpty())
        openWorkspace(folder.toStdString());
}

void StudioWindow::rebuildRecentMenu() {
    m_recent->clear();
    const QStringList recent = QSettings().value("workspaces/recent").toStringList();
    for (const QString& folder : recent)
        m_recent->addAction(folder, this, [this, folder] { openWorkspace(folder.toStdString()); });
    m_recent->setEnabled(!recent.isEmpty());
}

} // namespace rd::ui
