#include "plots/PlotExport.h"

#include <qcustomplot.h>
#include <QBuffer>
#include <QFileInfo>
#include <QPdfWriter>
#include <QSvgGenerator>

#include "WriteAtomically.h"
#include "model/PathText.h"

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

// QSvgGenerator (Qt 6.4) writes the title it is given unescaped: "R&D.svg" made a file no SVG
// reader opens. So the title goes in as a marker that escaping cannot change, replaced by the
// escaped title afterwards (right whether or not a later Qt escapes it). Drawn text (a class
// name, a method label) may hold control characters that XML 1.0 does not allow: they become
// U+FFFD.
constexpr char kTitleMarker[] = "ue-svg-title-0c5e1f";

QByteArray wellFormedSvg(QByteArray svg, const QString& title) {
    // The title first: a file name may hold control characters too.
    svg.replace(kTitleMarker, title.toHtmlEscaped().toUtf8());
    QByteArray out;
    out.reserve(svg.size());
    for (const char byte : svg) {
        const auto c = static_cast<unsigned char>(byte);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out += "\xEF\xBF\xBD";
        } else {
            out += byte;
        }
    }
    return out;
}

}  // namespace

QString exportPlot(QCustomPlot& plot, const QString& path, int width, int height, int dpi) {
    // Rendered in memory, then written by AtomicFile. QSaveFile would take the short write() a
    // nearly full disk gives for success, since the writers here (QSvgGenerator's text stream,
    // libpng) ignore the count, and commit a truncated file.
    QByteArray bytes;
    QBuffer rendered(&bytes);
    rendered.open(QIODevice::WriteOnly);
    bool painted = false;
    switch (plotFormatForPath(path)) {
        case PlotFormat::Png: {
            const double scale = dpi / 96.0;
            const QPixmap pixmap = plot.toPixmap(width, height, scale);
            painted = !pixmap.isNull() && pixmap.save(&rendered, "PNG");
            break;
        }
        case PlotFormat::Svg: {
            QSvgGenerator svg;
            svg.setOutputDevice(&rendered);
            svg.setSize(QSize(width, height));
            svg.setViewBox(QRect(0, 0, width, height));
            svg.setTitle(kTitleMarker);
            svg.setDescription(QObject::tr("Uncertainty Explorer plot"));
            painted = paintInto(plot, svg, width, height);
            break;
        }
        case PlotFormat::Pdf: {
            QPdfWriter pdf(&rendered);
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
    rendered.close();
    if (painted && plotFormatForPath(path) == PlotFormat::Svg) {
        bytes = wellFormedSvg(bytes, shownPath(QFileInfo(path).completeBaseName()));
    }
    if (!painted) {
        return QObject::tr("Cannot render the plot to %1 (the previous file is unchanged)")
            .arg(path);
    }
    return writeAtomically(path,
                           [&](std::ostream& out) { out.write(bytes.constData(), bytes.size()); });
}

}  // namespace ue::ui
