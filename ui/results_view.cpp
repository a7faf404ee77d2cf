#include "ui/results_view.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "eval/table_writer.h"
#include "ui/plot_export.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace rd::ui {

namespace {

// What each table's chart draws: bar columns, and for a single series its 95% interval columns.
struct ChartSpec {
    std::vector<std::string> bars;
    std::string low, high;
};

ChartSpec chartFor(results::ResultTable which) {
    switch (which) {
    case results::ResultTable::RmAccuracy:
        return {{"id_accuracy", "ood_accuracy"}, "", ""};
    case results::ResultTable::Gsb:
        return {{"score"}, "ci95_low", "ci95_high"};
    case results::ResultTable::Annotators:
        return {{"honeypot_accuracy", "self_consistency"}, "", ""};
    case results::ResultTable::Agreement:
        return {{"fleiss_kappa", "krippendorff_alpha", "gwet_ac1"}, "", ""};
    case results::ResultTable::LabelCurve:
        return {{"id_accuracy", "ood_accuracy"}, "", ""};
    case results::ResultTable::Alignment:
        break;
    }
    return {{"overall"}, "", ""};
}

int columnOf(const Table& t, const std::string& name) {
    const auto at = std::find(t.columns.begin(), t.columns.end(), name);
    return at == t.columns.end() ? -1 : static_cast<int>(at - t.columns.begin());
}

std::optional<double> numberAt(const Table& t, size_t row, int column) {
    if (column < 0)
        return std::nullopt;
    const Cell& c = t.rows[row][static_cast<size_t>(column)];
    if (const auto* d = std::get_if<double>(&c))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&c))
        return static_cast<double>(*i);
    return std::nullopt;
}

// A row's name on the chart: its first column, the second appended when it is text too
// (annotators: study / name; alignment: model / split), paths shortened to their last part.
QString rowLabel(const Table& t, size_t row) {
    auto text = [&](size_t c) {
        const auto* s = std::get_if<std::string>(&t.rows[row][c]);
        return s ? QString::fromStdString(std::filesystem::path(*s).filename().string().empty()
                                              ? *s
                                              : std::filesystem::path(*s).filename().string())
                 : QString();
    };
    QString label = text(0);
    if (t.columns.size() > 1 && !text(1).isEmpty() && t.columns[1] != "baseline" &&
        t.columns[1] != "arch")
        label += " / " + text(1);
    return label;
}

const QColor kPalette[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                           QColor(214, 39, 40)};

} // namespace

ResultsView::ResultsView(store::Workspace& ws, QWidget* parent) : QWidget(parent), m_ws(ws) {
    m_which = new QComboBox(this);
    for (const QString& name :
         {tr("RM accuracy (ID / OOD)"), tr("GSB per study"), tr("Annotators"), tr("Agreement"),
          tr("Alignment per category"), tr("RM accuracy by human labels (random / uncertain)")})
        m_which->addItem(name);
    auto* refreshButton = new QPushButton(tr("Refresh"), this);
    auto* exportTable = new QPushButton(tr("Export table..."), this);
    auto* exportPlot = new QPushButton(tr("Export chart..."), this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_which);
    bar->addWidget(refreshButton);
    bar->addStretch();
    bar->addWidget(exportTable);
    bar->addWidget(exportPlot);

    m_grid = new QTableWidget(this);
    m_grid->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_grid->verticalHeader()->hide();
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumHeight(220);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_grid);
    split->addWidget(m_plot);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_which, &QComboBox::currentIndexChanged, this, &ResultsView::refresh);
    connect(refreshButton, &QPushButton::clicked, this, &ResultsView::refresh);
    connect(exportTable, &QPushButton::clicked, this, &ResultsView::askExportTable);
    connect(exportPlot, &QPushButton::clicked, this, &ResultsView::askExportPlot);
    refresh();
}

void ResultsView::showTable(results::ResultTable which) {
    if (m_which->currentIndex() == int(which))
        refresh();
    else
        m_which->setCurrentIndex(int(which)); // refreshes
}

void ResultsView::refresh() {
    try {
        m_table =
            results::resultTable(m_ws, static_cast<results::ResultTable>(m_which->currentIndex()));
    } catch (const Error& e) {
        m_table = Table{{"error"}, {{std::string(e.what())}}};
    }
    fillTable();
    drawChart();
}

void ResultsView::fillTable() {
    m_grid->clear();
    m_grid->setColumnCount(static_cast<int>(m_table.columns.size()));
    m_grid->setRowCount(static_cast<int>(m_table.rows.size()));
    QStringList headers;
    for (const auto& c : m_table.columns)
        headers << QString::fromStdString(c);
    m_grid->setHorizontalHeaderLabels(headers);
    for (size_t r = 0; r < m_table.rows.size(); ++r)
        for (size_t c = 0; c < m_table.columns.size(); ++c) {
            const Cell& cell = m_table.rows[r][c];
            QString text = QString::fromStdString(cellToString(cell));
            if (const auto* d = std::get_if<double>(&cell)) // counts are stored as reals too
                text = *d == std::floor(*d) && std::abs(*d) < 1e12 ? QString::number(qint64(*d))
                                                                   : QString::number(*d, 'f', 3);
            m_grid->setItem(int(r), int(c), new QTableWidgetItem(text));
        }
    m_grid->resizeColumnsToContents();
}

void ResultsView::drawChart() {
    m_plot->clearPlottables();
    m_plot->legend->setVisible(false);
    const ChartSpec spec = chartFor(static_cast<results::ResultTable>(m_which->currentIndex()));
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (size_t r = 0; r < m_table.rows.size(); ++r)
        ticker->addTick(double(r), rowLabel(m_table, r));
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setTickLabelRotation(m_table.rows.size() > 4 ? 30 : 0);
    const double width = 0.8 / std::max<size_t>(1, spec.bars.size());
    double low = 0.0, high = 1.0;
    for (size_t b = 0; b < spec.bars.size(); ++b) {
        const int column = columnOf(m_table, spec.bars[b]);
        if (column < 0)
            continue;
        auto* bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setName(QString::fromStdString(spec.bars[b]));
        bars->setWidth(width);
        bars->setPen(Qt::NoPen);
        bars->setBrush(kPalette[b % 4]);
        QVector<double> keys, values, errLow, errHigh;
        for (size_t r = 0; r < m_table.rows.size(); ++r)
            if (const auto v = numberAt(m_table, r, column)) {
                keys << double(r) - 0.4 + width * (double(b) + 0.5);
                values << *v;
                low = std::min(low, *v);
                high = std::max(high, *v);
                const auto lo = numberAt(m_table, r, columnOf(m_table, spec.low));
                const auto hi = numberAt(m_table, r, columnOf(m_table, spec.high));
                errLow << (lo ? *v - *lo : 0.0);
                errHigh << (hi ? *hi - *v : 0.0);
            }
        bars->setData(keys, values);
        if (!spec.low.empty()) { // the 95% interval as error bars
            auto* errors = new QCPErrorBars(m_plot->xAxis, m_plot->yAxis);
            errors->setDataPlottable(bars);
            errors->setData(errLow, errHigh);
            errors->removeFromLegend();
        }
    }
    m_plot->legend->setVisible(spec.bars.size() > 1);
    m_plot->xAxis->setRange(-0.6, std::max<double>(0.6, double(m_table.rows.size()) - 0.4));
    m_plot->yAxis->setRange(std::min(low, 0.0) - 0.05, high + 0.05);
    m_plot->replot();
}

void ResultsView::exportTable(const QString& file) const {
    const std::filesystem::path path = file.toStdString();
    const eval::TableFormat format =
        eval::formatForExtension(path.extension().string(), eval::TableFormat::Csv);
    writeFileAtomically(path, [&](std::ostream& out) { eval::writeTable(m_table, format, out); });
}

void ResultsView::exportPlot(const QString& file) const {
    savePlot(*m_plot, file);
}

QString ResultsView::currentName() const {
    return QString::fromStdString(results::resultTableNames()[size_t(m_which->currentIndex())]);
}

void ResultsView::askExportTable() {
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export table"), currentName() + ".csv",
                                     tr("Tables (*.csv *.md *.tex *.json *.jsonl)"));
    if (file.isEmpty())
        return;
    try {
        exportTable(file);
    } catch (const Error& e) {
        QMessageBox::warning(this, tr("Export table"), QString::fromUtf8(e.what()));
    }
}

void ResultsView::askExportPlot() {
    askSavePlot(this, *m_plot, currentName() + ".png");
}

} // namespace rd::ui
