#include "ui/train_view.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "store/workspace.h"
#include "ui/job_dialog.h"
#include "ui/job_queue.h"
#include "ui/outside_runs.h"
#include "ui/runs_view.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <filesystem>

namespace rd::ui {

namespace {

QString duration(double seconds) {
    const qint64 s = static_cast<qint64>(seconds + 0.5);
    return s >= 3600 ? QString("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
           : s >= 60 ? QString("%1 min %2 s").arg(s / 60).arg(s % 60)
                     : QString("%1 s").arg(s);
}

QString lineFor(const QueuedJob& job) {
    QString text = QString("#%1  %2  -  %3").arg(job.id).arg(job.title, toString(job.state));
    if (job.state == JobState::Running && job.fraction >= 0)
        text += QString("  %1%").arg(int(job.fraction * 100));
    if (job.state == JobState::Running && job.cancelRequested)
        text += QObject::tr("  (cancelling)");
    return text;
}

} // namespace

TrainView::TrainView(store::Workspace& ws, const QString& rdanceProgram, QWidget* parent)
    : QWidget(parent), m_ws(ws), m_queue(new JobQueue(rdanceProgram, this)) {
    auto* newButton = new QToolButton(this);
    newButton->setText(tr("New job"));
    newButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(newButton);
    for (const JobKind& kind : jobKinds())
        menu->addAction(kind.title, this, [this, &kind] { newJob(kind); });
    newButton->setMenu(menu);
    m_cancel = new QPushButton(tr("Cancel job"), this);
    m_list = new QListWidget(this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_eta = new QLabel(this);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(newButton);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_list, 1);
    // Trainings started elsewhere (a terminal, a script) show below the queue while they run.
    m_outside = new OutsideRuns(
        ws,
        [this] {
            QSet<qint64> own;
            for (const QueuedJob& job : m_queue->jobs())
                own.unite(job.runIds);
            return own;
        },
        this);
    auto* outsideTitle = new QLabel(tr("Running outside the studio"), this);
    leftLayout->addWidget(outsideTitle);
    leftLayout->addWidget(m_outside);
    auto showOutside = [this, outsideTitle](int count) {
        outsideTitle->setVisible(count > 0);
        m_outside->setVisible(count > 0);
    };
    connect(m_outside, &OutsideRuns::countChanged, this, showOutside);
    showOutside(m_outside->count());
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_eta);
    rightLayout->addLayout(progressRow);
    rightLayout->addWidget(m_log, 1);
    auto* jobs = new QSplitter(Qt::Horizontal, this);
    jobs->addWidget(left);
    jobs->addWidget(right);
    jobs->setStretchFactor(1, 2);

    m_runs = new RunsView(ws, this);
    connect(m_runs, &RunsView::runsRead, m_outside, &OutsideRuns::showRuns);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(jobs);
    split->addWidget(m_runs);
    split->setStretchFactor(1, 3);
    split->setSizes({200, 600});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_cancel, &QPushButton::clicked, this, [this] { m_queue->cancel(selectedJob()); });
    connect(m_list, &QListWidget::currentRowChanged, this, &TrainView::showSelected);
    connect(m_queue, &JobQueue::jobChanged, this, &TrainView::showJobs);
    connect(m_queue, &JobQueue::logLine, this, [this](int id, const QString& line) {
        if (id == selectedJob())
            m_log->appendPlainText(line);
    });
    showJobs();
}

int TrainView::selectedJob() const {
    const QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toInt() : 0;
}

int TrainView::submit(const JobKind& kind, const std::vector<QVariant>& values) {
    const QString workspace = QString::fromStdString(m_ws.folder().string());
    QString specFile;
    double timeLimit = 0.0;
    if (kind.usesSpec) {
        const QJsonObject spec = specOf(kind, values);
        if (spec.value("steps").toInt(1) == 0)
            timeLimit = spec.value("time_limit_s").toDouble();
        const std::filesystem::path file =
            m_ws.folder() / "jobs" /
            (kind.id + "-" + QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss-zzz") + ".json")
                .toStdString();
        std::filesystem::create_directories(file.parent_path());
        const QByteArray json = QJsonDocument(spec).toJson();
        writeFileAtomically(file, [&](std::ostream& out) { out.write(json.data(), json.size()); });
        specFile = QString::fromStdString(file.string());
    }
    const QStringList arguments =
        kind.command + QStringList{workspace} + argumentsOf(kind, values, specFile);
    return m_queue->enqueue(kind.title, arguments, timeLimit);
}

void TrainView::newJob(const JobKind& kind) {
    JobDialog dialog(kind, QString::fromStdString(m_ws.folder().string()), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    try {
        const int id = submit(kind, dialog.values());
        showJobs();
        for (int row = 0; row < m_list->count(); ++row)
            if (m_list->item(row)->data(Qt::UserRole).toInt() == id)
                m_list->setCurrentRow(row);
    } catch (const Error& e) {
        QMessageBox::warning(this, kind.title, QString::fromUtf8(e.what()));
    }
}

// The list is rebuilt only when a job comes or changes state; progress only relabels its line.
void TrainView::showJobs() {
    const auto& jobs = m_queue->jobs();
    bool rebuild = m_list->count() != static_cast<int>(jobs.size());
    for (size_t i = 0; !rebuild && i < jobs.size(); ++i)
        rebuild = m_states.value(jobs[i].id) != int(jobs[i].state);
    if (rebuild) {
        const int selected = selectedJob();
        {
            const QSignalBlocker quiet(m_list);
            m_list->clear();
            m_states.clear();
            for (const QueuedJob& job : jobs) {
                auto* item = new QListWidgetItem(lineFor(job), m_list);
                item->setData(Qt::UserRole, job.id);
                m_states[job.id] = int(job.state);
                if (job.id == selected)
                    m_list->setCurrentItem(item);
            }
            if (!m_list->currentItem() && m_list->count() > 0)
                m_list->setCurrentRow(m_list->count() - 1);
        }
        showSelected();
        m_runs->refresh(); // a job that started or ended has a new or finished run row
        return;
    }
    for (int row = 0; row < m_list->count(); ++row)
        m_list->item(row)->setText(lineFor(jobs[size_t(row)]));
    showProgress();
}

void TrainView::showProgress() {
    const QueuedJob* job = m_queue->job(selectedJob());
    m_cancel->setEnabled(job &&
                         (job->state == JobState::Queued || job->state == JobState::Running));
    m_progress->setValue(job && job->fraction >= 0 ? int(job->fraction * 1000) : 0);
    m_eta->setText(job && job->state == JobState::Running && job->secondsLeft >= 0
                       ? tr("about %1 left").arg(duration(job->secondsLeft))
                       : QString());
}

// A newly selected job: its whole log (new lines are appended as they come).
void TrainView::showSelected() {
    showProgress();
    const QueuedJob* job = m_queue->job(selectedJob());
    m_log->setPlainText(
        job ? job->log.join('\n')
            : tr("No jobs yet. New job opens a form for an RM training, an RM sweep, a generator "
                 "SFT, a ReFL run or a search; jobs run one after another as rdance processes, "
                 "and their curves appear below."));
}

} // namespace rd::ui
