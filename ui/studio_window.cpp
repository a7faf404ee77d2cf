#include "ui/studio_window.h"

#include "common/error.h"
#include "label/labeling_session.h"
#include "store/gsb_repository.h"
#include "store/workspace.h"
#include "ui/demo_workspace.h"
#include "ui/inspect_view.h"
#include "ui/job_queue.h"
#include "ui/key_map_dialog.h"
#include "ui/label_view.h"
#include "ui/results_view.h"
#include "ui/runs_view.h"
#include "ui/train_view.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace rd::ui {

namespace {

constexpr int kRecentCount = 8;
// The tabs, in order, by the names showView() and --view take.
const QStringList kViewNames = {"label", "inspect", "train", "results"};

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
    setWindowIcon(QIcon(":/icons/rdance-studio.svg")); // resources/icons
    resize(1100, 720);
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New workspace..."), QKeySequence::New, this, &StudioWindow::newWorkspace);
    file->addAction(tr("&Open workspace..."), QKeySequence::Open, this,
                    &StudioWindow::chooseWorkspace);
    file->addAction(tr("Create &demo workspace..."), this, [this] { createDemo(); });
    m_recent = file->addMenu(tr("Open &recent"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu* labelMenu = menuBar()->addMenu(tr("&Label"));
    labelMenu->addAction(tr("&Keys..."), this, &StudioWindow::editKeys);
    m_status = new QLabel(tr("No workspace open"), this);
    statusBar()->addWidget(m_status, 1);
    m_jobStatus = new QLabel(this);
    statusBar()->addPermanentWidget(m_jobStatus);
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

bool StudioWindow::openWorkspace(const std::filesystem::path& folder, const QString& study,
                                 const QString& annotator) {
    if (!mayEndJobs())
        return false;
    try {
        auto ws = store::Workspace::open(folder);
        delete takeCentralWidget(); // views over the old workspace go first
        m_label = nullptr;
        m_runsView = nullptr;
        m_inspect = nullptr;
        m_results = nullptr;
        m_train = nullptr;
        m_workspace = std::move(ws);
        m_tabs = new QTabWidget(this);
        // A view shown again re-reads what jobs and other processes have stored meanwhile.
        connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
            if (m_inspect && m_tabs->widget(index) == m_inspect)
                m_inspect->refresh();
            if (m_results && m_tabs->widget(index) == m_results)
                m_results->refresh();
        });
        m_tabs->addTab(labelStartPage(), tr("Label"));
        m_inspect = new InspectView(*m_workspace, m_tabs);
        m_tabs->addTab(m_inspect, tr("Inspect"));
        m_train = new TrainView(*m_workspace, JobQueue::defaultProgram(), m_tabs);
        m_runsView = m_train->runs();
        m_tabs->addTab(m_train, tr("Train"));
        connect(m_train->queue(), &JobQueue::jobChanged, this, &StudioWindow::showJobState);
        showJobState();
        m_results = new ResultsView(*m_workspace, m_tabs);
        m_tabs->addTab(m_results, tr("Results"));
        setCentralWidget(m_tabs);
        const QString where = QString::fromStdString(m_workspace->folder().string());
        m_status->setText(where);
        QSettings settings;
        QStringList recent = settings.value("workspaces/recent").toStringList();
        recent.removeAll(where);
        recent.prepend(where);
        settings.setValue("workspaces/recent", recent.mid(0, kRecentCount));
        rebuildRecentMenu();
    } catch (const Error& e) {
        showError(QString::fromUtf8(e.what()));
        return false;
    }
    startLabeling(study, annotator); // cancelling it leaves the Label tab's start button
    return true;
}

QWidget* StudioWindow::labelStartPage() {
    auto* page = new QWidget;
    auto* start = new QPushButton(tr("Start a labeling session..."), page);
    connect(start, &QPushButton::clicked, this, [this] { startLabeling({}, {}); });
    auto* layout = new QVBoxLayout(page);
    layout->addStretch();
    layout->addWidget(start, 0, Qt::AlignCenter);
    layout->addStretch();
    return page;
}

bool StudioWindow::startLabeling(QString study, QString annotator) {
    QSettings settings;
    if (annotator.isEmpty())
        annotator = settings.value("label/annotator").toString();
    try {
        if (study.isEmpty() || annotator.isEmpty())
            if (!askSession(this, *m_workspace, study, annotator))
                return false;
        auto session = label::LabelingSession::open(*m_workspace, study.toStdString(),
                                                    annotator.toStdString());
        m_label = new LabelView(std::move(session), m_tabs);
        m_label->setKeyMap(LabelKeyMap::load(settings));
        QWidget* old = m_tabs->widget(0);
        m_tabs->removeTab(0);
        delete old;
        m_tabs->insertTab(0, m_label, tr("Label"));
        m_tabs->setCurrentIndex(0);
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
        return true;
    } catch (const Error& e) {
        showError(QString::fromUtf8(e.what()));
        return false;
    }
}

void StudioWindow::showView(const QString& name) {
    if (m_tabs)
        m_tabs->setCurrentIndex(std::max<qsizetype>(0, kViewNames.indexOf(name)));
}

void StudioWindow::editKeys() {
    QSettings settings;
    KeyMapDialog dialog(LabelKeyMap::load(settings), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    dialog.keys().save(settings);
    if (m_label)
        m_label->setKeyMap(dialog.keys());
}

void StudioWindow::showJobState() {
    int running = 0, queued = 0, percent = -1;
    if (m_train)
        for (const QueuedJob& job : m_train->queue()->jobs()) {
            queued += job.state == JobState::Queued ? 1 : 0;
            if (job.state == JobState::Running) {
                ++running;
                percent = job.fraction >= 0 ? int(job.fraction * 100) : -1;
            }
        }
    QString text = running ? tr("Job running") : tr("No job running");
    if (running && percent >= 0)
        text += QString(" (%1%)").arg(percent);
    if (queued)
        text += tr(", %1 queued").arg(queued);
    m_jobStatus->setText(text);
}

bool StudioWindow::mayEndJobs() {
    if (!m_train || !isVisible())
        return true;
    bool pending = false;
    for (const QueuedJob& job : m_train->queue()->jobs())
        pending |= job.state == JobState::Queued || job.state == JobState::Running;
    if (!pending)
        return true;
    return QMessageBox::question(
               this, tr("Jobs are running"),
               tr("Jobs of this workspace are running or queued. Leaving it cancels them (a "
                  "cancelled training keeps its state for --resume). Leave anyway?")) ==
           QMessageBox::Yes;
}

void StudioWindow::closeEvent(QCloseEvent* event) {
    if (mayEndJobs())
        event->accept();
    else
        event->ignore();
}

void StudioWindow::newWorkspace() {
    const QString folder =
        QFileDialog::getSaveFileName(this, tr("New workspace (a folder that does not exist yet)"),
                                     QString(), QString(), nullptr, QFileDialog::ShowDirsOnly);
    if (folder.isEmpty())
        return;
    try {
        store::Workspace::create(folder.toStdString()); // closed again: openWorkspace reopens it
    } catch (const Error& e) {
        showError(QString::fromUtf8(e.what()));
        return;
    }
    openWorkspace(folder.toStdString());
}

bool StudioWindow::createDemo() {
    std::filesystem::path folder = defaultDemoFolder();
    if (std::filesystem::exists(folder / store::Workspace::kDatabaseFile))
        return openWorkspace(folder);
    QString error;
    if (!buildDemoWorkspace(this, folder, &error)) {
        if (!error.isEmpty())
            showError(error);
        return false;
    }
    return openWorkspace(folder);
}

void StudioWindow::offerDemoOnFirstRun() {
    if (m_workspace || !QSettings().value("workspaces/recent").toStringList().isEmpty())
        return;
    const auto answer = QMessageBox::question(
        this, tr("Welcome to RewardDance Studio"),
        tr("Create the ShapeWorld demo workspace in %1?\n\nIt holds images, clips, preference "
           "pairs with rationales and a GSB study to label; it takes about a minute.")
            .arg(QString::fromStdString(defaultDemoFolder().string())));
    if (answer == QMessageBox::Yes)
        createDemo();
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
