#include "ui/job_queue.h"
#include "jobs/job_names.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace rd::ui {

QString toString(JobState state) {
    switch (state) {
    case JobState::Queued:
        return QObject::tr("queued");
    case JobState::Running:
        return QObject::tr("running");
    case JobState::Done:
        return QObject::tr("done");
    case JobState::Failed:
        return QObject::tr("failed");
    case JobState::Cancelled:
        break;
    }
    return QObject::tr("cancelled");
}

JobQueue::JobQueue(QString rdanceProgram, QObject* parent)
    : QObject(parent), m_program(std::move(rdanceProgram)), m_process(new QProcess(this)) {
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &JobQueue::readOutput);
    connect(m_process, &QProcess::finished, this, &JobQueue::finished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) // finished() does not come: end the job here
            finished(-1, QProcess::CrashExit);
    });
}

JobQueue::~JobQueue() {
    if (m_process->state() == QProcess::NotRunning)
        return;
    disconnect(m_process, nullptr, this, nullptr);
    m_process->terminate(); // the trainer saves its state and marks the run cancelled
    if (!m_process->waitForFinished(kKillAfterMs))
        m_process->kill();
}

QString JobQueue::defaultProgram() {
    const QString beside = QCoreApplication::applicationDirPath() + "/rdance";
    return QFileInfo(beside).isExecutable() ? beside : QString("rdance");
}

QueuedJob* JobQueue::find(int id) {
    for (QueuedJob& job : m_jobs)
        if (job.id == id)
            return &job;
    return nullptr;
}

const QueuedJob* JobQueue::job(int id) const {
    return const_cast<JobQueue*>(this)->find(id);
}

int JobQueue::enqueue(const QString& title, const QStringList& arguments, double timeLimitS) {
    QueuedJob job;
    job.id = m_nextId++;
    job.title = title;
    job.arguments = arguments;
    job.timeLimitS = timeLimitS;
    m_jobs.push_back(job);
    emit jobChanged(job.id);
    if (!busy())
        startNext();
    return job.id;
}

void JobQueue::cancel(int id) {
    QueuedJob* job = find(id);
    if (!job)
        return;
    if (job->state == JobState::Queued) {
        job->state = JobState::Cancelled;
        emit jobChanged(id);
    } else if (job->state == JobState::Running && !job->cancelRequested) {
        job->cancelRequested = true;
        m_process->terminate();
        QTimer::singleShot(kKillAfterMs, m_process, [process = m_process, this, id] {
            if (m_running == id && process->state() != QProcess::NotRunning)
                process->kill();
        });
        emit jobChanged(id);
    }
}

void JobQueue::startNext() {
    if (busy())
        return;
    for (QueuedJob& job : m_jobs) {
        if (job.state != JobState::Queued)
            continue;
        job.state = JobState::Running;
        m_running = job.id;
        m_pending.clear();
        job.log << "$ rdance " + job.arguments.join(' ');
        emit jobChanged(job.id);
        m_process->start(m_program, job.arguments);
        return;
    }
}

void JobQueue::readOutput() {
    m_pending += m_process->readAllStandardOutput();
    QueuedJob* job = find(m_running);
    for (int end = m_pending.indexOf('\n'); end >= 0; end = m_pending.indexOf('\n')) {
        const QString line = QString::fromUtf8(m_pending.left(end)).trimmed();
        m_pending.remove(0, end + 1);
        if (!job || line.isEmpty())
            continue;
        job->log << line;
        emit logLine(job->id, line); // before jobChanged, which a view may answer by redrawing
        takeEvent(*job, line);
    }
}

// progress: step of steps, or elapsed of a time budget; the estimate scales the time so far.
void JobQueue::takeEvent(QueuedJob& job, const QString& line) {
    if (!line.startsWith('{'))
        return;
    const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
    const QString kind = event.value("event").toString();
    if (kind == jobs::events::kStart) {
        if (event.contains("run_id"))
            job.runIds.insert(static_cast<qint64>(event.value("run_id").toDouble()));
        return;
    }
    if (kind == jobs::events::kDone) {
        job.fraction = 1.0;
        job.secondsLeft = 0.0;
    } else if (kind == jobs::events::kProgress) {
        const double step = event.value("step").toDouble();
        const double steps = event.value("steps").toDouble();
        const double elapsed = event.value("elapsed_s").toDouble();
        // The trainers say how much of their budget (steps or time) is spent (RunBudget).
        double fraction = event.value("fraction").toDouble(-1.0);
        if (fraction < 0 && steps > 0)
            fraction = step / steps;
        else if (fraction < 0 && job.timeLimitS > 0)
            fraction = elapsed / job.timeLimitS;
        if (fraction > 0) {
            job.fraction = std::min(1.0, fraction);
            job.secondsLeft = elapsed * (1.0 - job.fraction) / job.fraction;
        }
    } else {
        return;
    }
    emit jobChanged(job.id);
}

void JobQueue::finished(int exitCode, QProcess::ExitStatus status) {
    readOutput();
    if (QueuedJob* job = find(m_running)) {
        job->exitCode = exitCode;
        if (job->cancelRequested)
            job->state = JobState::Cancelled;
        else
            job->state =
                status == QProcess::NormalExit && exitCode == 0 ? JobState::Done : JobState::Failed;
        if (!m_pending.trimmed().isEmpty())
            job->log << QString::fromUtf8(m_pending).trimmed();
        if (job->state == JobState::Failed && status != QProcess::NormalExit)
            job->log << tr("rdance could not run or crashed: %1").arg(m_process->errorString());
        job->log << tr("[%1, exit code %2]").arg(toString(job->state)).arg(exitCode);
        emit jobChanged(job->id);
    }
    m_running = -1;
    m_pending.clear();
    // A new job is started from the event loop, not from inside QProcess's own signal.
    QTimer::singleShot(0, this, &JobQueue::startNext);
}

} // namespace rd::ui
