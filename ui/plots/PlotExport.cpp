#include "plots/PlotExport.h"

#include <qcustomplot.h>
#include <QFileInfo>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace ue::ui {

PlotFormat plotFormatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "svg") {
        return PlotFormat::Svg;
    }
    if (suffix == "pdf") {
        return PlotFormat::Pdf;
    }
    return PlotFormat::Png;
}

namespace {

// QCustomPlot 2.1 has no saveSvg: paint the plot into any QPaintDevice with a QCPPainter.
bool paintInto(QCustomPlot& plot, QPaintDevice& device, int width, int height) {
    QCPPainter painter;
    if (!painter.begin(&device)) {
        return false;
    }
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    plot.toPainter(&painter, width, height);
    return painter.end();
}

}  // namespace

QString exportPlot(QCustomPlot& plot, const QString& path, int width, int height, int dpi) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
    }
    bool painted = false;
    switch (plotFormatForPath(path)) {
        case PlotFormat::Png: {
            const double scale = dpi / 96.0;
            const QPixmap pixmap = plot.toPixmap(width, height, scale);
            painted = !pixmap.isNull() && pixmap.save(&file, "PNG");
            break;
        }
        case PlotFormat::Svg: {
            QSvgGenerator svg;
            svg.setOutputDevice(&file);
            svg.setSize(QSize(width, height));
            svg.setViewBox(QRect(0, 0, width, height));
            svg.setTitle(QFileInfo(path).completeBaseName());
            svg.setDescription(QObject::tr("Uncertainty Explorer plot"));
            painted = paintInto(plot, svg, width, height);
            break;
        }
        case PlotFormat::Pdf: {
            QPdfWriter pdf(&file);
            pdf.setCreator(QObject::tr("Uncertainty Explorer"));
            pdf.setResolution(96);
            pdf.setPageSize(QPageSize(QSizeF(width, height), QPageSize::Point));
            pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
            // Points and pixels differ: let the painter map the plot's pixels onto the page.
            QCPPainter painter;
            if (painter.begin(&pdf)) {
                painter.setMode(QCPPainter::pmVectorized);
                painter.setMode(QCPPainter::pmNoCaching);
                const QRect page = painter.viewport();
                painter.setWindow(0, 0, width, height);
                painter.setViewport(page);
                plot.toPainter(&painter, width, height);
                painted = painter.end();
            }
            break;
        }
    }
    if (!painted) {
        file.cancelWriting();
        return QObject::tr("Cannot render the plot to %1").arg(path);
    }
    if (!file.commit()) {
        return QObject::tr("Cannot write %1: %2 (the previous file is unchanged)")
            .arg(path, file.errorString());
    }
    return {};
}

}  // namespace ue::ui
