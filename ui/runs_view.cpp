#include "ui/runs_view.h"

#include "store/run_repository.h"
#include "store/workspace.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <nlohmann/json.hpp>

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
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Metric"), right));
    top->addWidget(m_metric, 1);
    rightLayout->addLayout(top);
    rightLayout->addWidget(m_plot, 1);
    auto* splitter = new QSplitter(this);
    splitter->addWidget(m_runs);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    connect(m_runs, &QListWidget::itemSelectionChanged, this, [this] {
        refreshMetricNames();
        redraw();
    });
    connect(m_metric, &QComboBox::currentTextChanged, this, [this] { redraw(); });
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
    const auto selected = selectedRuns();
    const std::set<store::RowId> keep(selected.begin(), selected.end());
    QSignalBlocker block(m_runs);
    m_runs->clear();
    for (const store::RunRecord& run : m_workspace.runs().list()) {
        auto* item = new QListWidgetItem(runLabel(run), m_runs);
        item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(run.id));
        item->setSelected(keep.count(run.id) > 0);
    }
    refreshMetricNames();
    redraw();
}

void RunsView::selectRuns(const std::vector<store::RowId>& runIds) {
    const std::set<store::RowId> wanted(runIds.begin(), runIds.end());
    QSignalBlocker block(m_runs);
    for (int i = 0; i < m_runs->count(); ++i) {
        QListWidgetItem* item = m_runs->item(i);
        item->setSelected(wanted.count(item->data(Qt::UserRole).toLongLong()) > 0);
    }
    refreshMetricNames();
    redraw();
}

void RunsView::selectLatestTraining() {
    store::RowId latest = 0;
    for (const store::RunRecord& run : m_workspace.runs().list())
        if ((run.kind == "rm_train" || run.kind == "rm_grounding") && run.id > latest)
            latest = run.id;
    if (latest)
        selectRuns({latest});
}

void RunsView::setMetric(const QString& name) {
    m_metric->setCurrentText(name);
    redraw();
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
    const int keep = m_metric->findText(current.isEmpty() ? QString("train/loss") : current);
    m_metric->setCurrentIndex(keep >= 0 ? keep : 0);
}

void RunsView::redraw() {
    m_plot->clearGraphs();
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
            QCPGraph* graph = m_plot->addGraph();
            graph->setData(steps, values, /*alreadySorted=*/true);
            graph->setName(QString("run %1").arg(id));
            graph->setPen(QPen(curveColor(index++), 1.5));
        }
    m_plot->yAxis->setLabel(QString::fromStdString(metric));
    m_plot->rescaleAxes();
    m_plot->replot();
}

} // namespace rd::ui
