#include "ui/runs_view.h"

#include "common/error.h"
#include "eval/reward_window.h"
#include "jobs/job_names.h"
#include "store/run_locks.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "ui/plot_export.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <set>

namespace rd::ui {

namespace {

QString runLabel(const store::RunRecord& run) {
    std::string name;
    const auto config = nlohmann::json::parse(run.configJson, nullptr, false);
    if (config.is_object() && config.contains("name") && config["name"].is_string())
        name = config["name"].get<std::string>();
    return QString("#%1 %2 %3 (%4)")
        .arg(run.id)
        .arg(QString::fromStdString(run.kind), QString::fromStdString(name),
             QString::fromUtf8(store::toString(run.status)));
}

// Distinct colours for overlaid runs.
QColor curveColor(int i) {
    static const QColor palette[] = {QColor(31, 119, 180),  QColor(255, 127, 14),
                                     QColor(44, 160, 44),   QColor(214, 39, 40),
                                     QColor(148, 103, 189), QColor(140, 86, 75)};
    return palette[i % 6];
}

constexpr const char* kRewardMean = jobs::metrics::kReflRewardMean;
constexpr const char* kRewardStd = jobs::metrics::kReflRewardStd;
constexpr const char* kWindowVariance = jobs::metrics::kReflRewardWindowVariance;
constexpr int kBubbles = 12; // bubbles per run, spread over its steps

std::vector<double> valuesOf(const std::vector<store::MetricPoint>& points) {
    std::vector<double> values;
    for (const store::MetricPoint& p : points)
        values.push_back(p.value);
    return values;
}

} // namespace

RunsView::RunsView(store::Workspace& workspace, QWidget* parent)
    : QWidget(parent), m_workspace(workspace) {
    m_runs = new QListWidget(this);
    m_runs->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_metric = new QComboBox(this);
    m_plot = new QCustomPlot(this);
    m_plot->legend->setVisible(true);
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_alert = new QLabel(this);
    m_alert->setStyleSheet("QLabel { color: #b00020; font-weight: bold; }");
    m_alert->setWordWrap(true);
    m_alert->hide();
    m_readError = new QLabel(this);
    m_readError->setStyleSheet("QLabel { color: #b00020; }");
    m_readError->setWordWrap(true);
    m_readError->hide();
    m_emptyHint = new QLabel(
        tr("No runs yet. Start one from the Train view (its New job button: reward model, "
           "grounding, generator or ReFL), or on the command line: rdance rm train WS --config "
           "JOB.json. Runs started outside the studio show here while they run."),
        this);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->hide();
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Metric"), right));
    top->addWidget(m_metric, 1);
    auto* exportButton = new QPushButton(tr("Export chart..."), right);
    top->addWidget(exportButton);
    connect(exportButton, &QPushButton::clicked, this,
            [this] { askSavePlot(this, *m_plot, "curves.png"); });
    rightLayout->addLayout(top);
    rightLayout->addWidget(m_alert);
    rightLayout->addWidget(m_readError);
    rightLayout->addWidget(m_emptyHint);
    rightLayout->addWidget(m_plot, 1);
    auto* splitter = new QSplitter(this);
    splitter->addWidget(m_runs);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    connect(m_runs, &QListWidget::itemSelectionChanged, this, [this] {
        showWorkspace([this] {
            refreshMetricNames();
            redraw();
        });
    });
    connect(m_metric, &QComboBox::currentTextChanged, this,
            [this] { showWorkspace([this] { redraw(); }); });
    m_timer = new QTimer(this);
    m_timer->setInterval(2000);
    connect(m_timer, &QTimer::timeout, this, &RunsView::refresh);
    m_timer->start();
    refresh();
}

int RunsView::runCount() const {
    return m_runs->count();
}

std::vector<store::RowId> RunsView::selectedRuns() const {
    std::vector<store::RowId> ids;
    for (const QListWidgetItem* item : m_runs->selectedItems())
        ids.push_back(item->data(Qt::UserRole).toLongLong());
    return ids;
}

void RunsView::refresh() {
    showWorkspace([this] {
        store::markInterruptedRuns(m_workspace); // a killed job's run reads "failed", not "running"
        const std::vector<store::RunRecord> runs = m_workspace.runs().list();
        const auto selected = selectedRuns();
        const std::set<store::RowId> keep(selected.begin(), selected.end());
        {
            QSignalBlocker block(m_runs);
            m_runs->clear();
            for (const store::RunRecord& run : runs) {
                auto* item = new QListWidgetItem(runLabel(run), m_runs);
                item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(run.id));
                item->setSelected(keep.count(run.id) > 0);
            }
        }
        m_emptyHint->setVisible(runs.empty());
        refreshMetricNames();
        redraw();
        emit runsRead(runs);
    });
}

void RunsView::showWorkspace(const std::function<void()>& read) {
    try {
        read();
        m_readError->hide();
    } catch (const Error& e) {
        m_readError->setText(
            tr("Could not read the workspace: %1").arg(QString::fromUtf8(e.what())));
        m_readError->show();
    }
}

QString RunsView::emptyHintText() const {
    return m_emptyHint->isHidden() ? QString() : m_emptyHint->text();
}

QString RunsView::readErrorText() const {
    return m_readError->isHidden() ? QString() : m_readError->text();
}

void RunsView::selectRuns(const std::vector<store::RowId>& runIds) {
    const std::set<store::RowId> wanted(runIds.begin(), runIds.end());
    {
        QSignalBlocker block(m_runs);
        for (int i = 0; i < m_runs->count(); ++i) {
            QListWidgetItem* item = m_runs->item(i);
            item->setSelected(wanted.count(item->data(Qt::UserRole).toLongLong()) > 0);
        }
    }
    showWorkspace([this] {
        refreshMetricNames();
        redraw();
    });
}

void RunsView::selectLatestTraining() {
    store::RowId latest = 0;
    showWorkspace([&] {
        for (const store::RunRecord& run : m_workspace.runs().list())
            if ((run.kind == "rm_train" || run.kind == "rm_grounding" || run.kind == "gen_train" ||
                 run.kind == "refl") &&
                run.id > latest)
                latest = run.id;
    });
    if (latest)
        selectRuns({latest});
}

void RunsView::setMetric(const QString& name) {
    QSignalBlocker block(m_metric); // one redraw, below
    m_metric->setCurrentText(name);
    showWorkspace([this] { redraw(); });
}

void RunsView::refreshMetricNames() {
    std::set<std::string> names;
    for (store::RowId id : selectedRuns())
        for (const std::string& n : m_workspace.runs().metricNames(id))
            names.insert(n);
    const QString current = m_metric->currentText();
    QSignalBlocker block(m_metric);
    m_metric->clear();
    for (const std::string& n : names)
        m_metric->addItem(QString::fromStdString(n));
    const int keep =
        m_metric->findText(current.isEmpty() ? QString(jobs::metrics::kTrainLoss) : current);
    m_metric->setCurrentIndex(keep >= 0 ? keep : 0);
}

QString RunsView::alertText() const {
    return m_alert->isHidden() ? QString() : m_alert->text();
}

void RunsView::updateCollapseAlert() {
    QStringList collapsed;
    for (store::RowId id : selectedRuns()) {
        const auto c =
            eval::checkVarianceCollapse(valuesOf(m_workspace.runs().metrics(id, kWindowVariance)));
        if (c.collapsed)
            collapsed << tr("run %1 (window variance %2, peak %3)")
                             .arg(id)
                             .arg(c.latest, 0, 'g', 3)
                             .arg(c.peak, 0, 'g', 3);
    }
    m_alert->setText(collapsed.isEmpty()
                         ? QString()
                         : tr("Reward variance collapsed - the policy may be hacking the reward "
                              "or collapsing onto one mode: %1")
                               .arg(collapsed.join(", ")));
    m_alert->setHidden(collapsed.isEmpty());
}

// The batch's reward +-std as a band around the mean, and the window variance as bubbles whose
// area follows the variance (Figure 5's style).
void RunsView::drawRewardBandAndBubbles(store::RowId run, const QColor& color) {
    const auto mean = m_workspace.runs().metrics(run, kRewardMean);
    const auto std = m_workspace.runs().metrics(run, kRewardStd);
    if (!mean.empty() && mean.size() == std.size()) {
        QVector<double> steps, low, high;
        for (size_t i = 0; i < mean.size(); ++i) {
            steps.push_back(static_cast<double>(mean[i].step));
            low.push_back(mean[i].value - std[i].value);
            high.push_back(mean[i].value + std[i].value);
        }
        QColor fill = color;
        fill.setAlpha(40);
        QCPGraph* lower = m_plot->addGraph();
        lower->setData(steps, low, true);
        lower->setPen(Qt::NoPen);
        QCPGraph* upper = m_plot->addGraph();
        upper->setData(steps, high, true);
        upper->setPen(Qt::NoPen);
        upper->setBrush(fill);
        upper->setChannelFillGraph(lower);
        lower->removeFromLegend();
        upper->removeFromLegend();
    }
    const auto variance = m_workspace.runs().metrics(run, kWindowVariance);
    if (variance.empty() || mean.empty())
        return;
    double peak = 0.0;
    for (const auto& p : variance)
        peak = std::max(peak, p.value);
    std::map<std::int64_t, double> meanAt;
    for (const auto& p : mean)
        meanAt[p.step] = p.value;
    for (int k = 1; k <= kBubbles; ++k) {
        const auto& p = variance[variance.size() * k / kBubbles - 1];
        const auto at = meanAt.find(p.step);
        if (at == meanAt.end())
            continue;
        QCPGraph* bubble = m_plot->addGraph();
        bubble->setData({static_cast<double>(p.step)}, {at->second});
        bubble->setLineStyle(QCPGraph::lsNone);
        QColor face = color;
        face.setAlpha(90);
        const double size = peak > 0 ? 4.0 + 26.0 * std::sqrt(p.value / peak) : 4.0;
        bubble->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, face, size));
        bubble->removeFromLegend();
    }
}

void RunsView::redraw() {
    m_plot->clearGraphs();
    updateCollapseAlert();
    const std::string metric = m_metric->currentText().toStdString();
    int index = 0;
    if (!metric.empty())
        for (store::RowId id : selectedRuns()) {
            QVector<double> steps, values;
            for (const store::MetricPoint& p : m_workspace.runs().metrics(id, metric)) {
                steps.push_back(static_cast<double>(p.step));
                values.push_back(p.value);
            }
            if (steps.isEmpty())
                continue;
            const QColor color = curveColor(index++);
            if (metric == kRewardMean)
                drawRewardBandAndBubbles(id, color);
            QCPGraph* graph = m_plot->addGraph();
            graph->setData(steps, values, /*alreadySorted=*/true);
            graph->setName(QString("run %1").arg(id));
            graph->setPen(QPen(color, 1.5));
        }
    m_plot->yAxis->setLabel(QString::fromStdString(metric));
    m_plot->rescaleAxes();
    m_plot->replot();
}

} // namespace rd::ui
