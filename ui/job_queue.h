// The Train view's job queue: `rdance` jobs run one after another as child processes (two cores
// do not gain from two trainings at once). Each job's stdout carries JSON events; "progress"
// events (step, steps, elapsed_s) give its progress and an estimate of the time left, and every
// line goes to its log. Cancelling a queued job drops it; cancelling the running one sends
// SIGTERM, on which rdance's trainers (RM, generator SFT, ReFL) save their resumable state and
// mark the run cancelled (`--resume` continues it). An RM sweep or a search has no resumable
// state: SIGTERM ends it at once. A job that has not ended 30 s later is killed.
#pragma once

#include <QObject>
#include <QProcess>
#include <QSet>
#include <QStringList>

#include <vector>

namespace rd::ui {

enum class JobState { Queued, Running, Done, Failed, Cancelled };
QString toString(JobState state);

struct QueuedJob {
    int id = 0;
    QString title;
    QStringList arguments;   // rdance's arguments
    double timeLimitS = 0.0; // a timed run's budget, for its progress
    QSet<qint64> runIds; // the workspace runs it started (their "start" events; a sweep: several)
    JobState state = JobState::Queued;
    double fraction = -1.0;    // 0..1, -1 while unknown
    double secondsLeft = -1.0; // -1 while unknown
    int exitCode = 0;
    bool cancelRequested = false;
    QStringList log;
};

class JobQueue : public QObject {
    Q_OBJECT

public:
    static constexpr int kKillAfterMs = 30000;

    explicit JobQueue(QString rdanceProgram, QObject* parent = nullptr);
    ~JobQueue() override; // a running job is cancelled (its state saved) before the studio goes

    int enqueue(const QString& title, const QStringList& arguments, double timeLimitS = 0.0);
    void cancel(int id);
    const std::vector<QueuedJob>& jobs() const { return m_jobs; }
    const QueuedJob* job(int id) const;
    bool busy() const { return m_running >= 0; }
    // `rdance` beside the running program when it is there, else from PATH.
    static QString defaultProgram();

signals:
    void jobChanged(int id);
    void logLine(int id, const QString& line);

private:
    QueuedJob* find(int id);
    void startNext();
    void readOutput();
    void takeEvent(QueuedJob& job, const QString& line);
    void finished(int exitCode, QProcess::ExitStatus status);

    QString m_program;
    QProcess* m_process;
    std::vector<QueuedJob> m_jobs;
    int m_running = -1; // id of the running job
    int m_nextId = 1;
    QByteArray m_pending; // a partial output line
};

} // namespace rd::ui
