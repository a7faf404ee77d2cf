// Saves a QCustomPlot as PNG, SVG or PDF, chosen by the file's extension (issue "The studio":
// every plot exports in the three formats). Throws rd::Error naming the file when it cannot be
// written or the extension is none of the three.
#pragma once

#include <QString>

class QCustomPlot;
class QWidget;

namespace rd::ui {

void savePlot(QCustomPlot& plot, const QString& file);
// Asks for a file (PNG, SVG or PDF) and saves the plot there; a failure is shown, not thrown.
void askSavePlot(QWidget* parent, QCustomPlot& plot, const QString& defaultName);

} // namespace rd::ui
