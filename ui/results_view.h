// The Results view (issue "The studio"): the workspace's result tables (RM accuracy ID/OOD per
// model, GSB per study with its bootstrap interval and sign test, annotators with honeypot
// accuracy and self-consistency, agreement, oracle alignment per category; see
// core/results/results_tables.h) with a bar chart of each, exported as CSV, Markdown, LaTeX or
// JSON and the chart as PNG, SVG or PDF.
#pragma once

#include "common/table.h"
#include "results/results_tables.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QTableWidget;

namespace rd::store {
class Workspace;
}

namespace rd::ui {

class ResultsView : public QWidget {
    Q_OBJECT

public:
    explicit ResultsView(store::Workspace& ws, QWidget* parent = nullptr);

    void showTable(results::ResultTable which);
    void refresh(); // re-reads the workspace
    const Table& table() const { return m_table; }
    QCustomPlot* plot() const { return m_plot; }
    // Writes the table (format by extension: .csv, .md, .tex, .json, .jsonl) or the chart (.png,
    // .svg, .pdf); throws rd::Error naming the file.
    void exportTable(const QString& file) const;
    void exportPlot(const QString& file) const;

private:
    void fillTable();
    void drawChart();
    void askExportTable();
    void askExportPlot();
    QString currentName() const; // the table's name, for default file names

    store::Workspace& m_ws;
    Table m_table;
    QComboBox* m_which;
    QTableWidget* m_grid;
    QCustomPlot* m_plot;
};

} // namespace rd::ui
