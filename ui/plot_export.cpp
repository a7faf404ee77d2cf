#include "ui/plot_export.h"

#include "common/error.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace rd::ui {

namespace {

[[noreturn]] void fail(const QString& file, const std::string& why) {
    throw Error(ErrorKind::Io, file.toStdString() + ": " + why);
}

void saveSvg(QCustomPlot& plot, const QString& file) {
    const int width = plot.width() > 0 ? plot.width() : 800;
    const int height = plot.height() > 0 ? plot.height() : 500;
    QSvgGenerator svg;
    svg.setFileName(file);
    svg.setSize(QSize(width, height));
    svg.setViewBox(QRect(0, 0, width, height));
    svg.setTitle(plot.windowTitle());
    QCPPainter painter;
    if (!painter.begin(&svg))
        fail(file, "cannot be written");
    plot.toPainter(&painter, width, height);
    painter.end();
}

} // namespace

void savePlot(QCustomPlot& plot, const QString& file) {
    const QString extension = QFileInfo(file).suffix().toLower();
    bool saved = false;
    if (extension == "png")
        saved = plot.savePng(file);
    else if (extension == "pdf")
        saved = plot.savePdf(file);
    else if (extension == "svg") {
        saveSvg(plot, file);
        saved = QFileInfo(file).size() > 0;
    } else
        fail(file, "plots are saved as .png, .svg or .pdf");
    if (!saved)
        fail(file, "the plot could not be written");
}

void askSavePlot(QWidget* parent, QCustomPlot& plot, const QString& defaultName) {
    const QString file =
        QFileDialog::getSaveFileName(parent, QObject::tr("Export chart"), defaultName,
                                     QObject::tr("Charts (*.png *.svg *.pdf)"));
    if (file.isEmpty())
        return;
    try {
        savePlot(plot, file);
    } catch (const Error& e) {
        QMessageBox::warning(parent, QObject::tr("Export chart"), QString::fromUtf8(e.what()));
    }
}

} // namespace rd::ui
