#include "plots/ExportablePlot.h"

#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QMenu>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QStandardPaths>

#include "PlainText.h"
#include "plots/PlotExport.h"

namespace ue::ui {

ExportablePlot::ExportablePlot(QWidget* parent) : QCustomPlot(parent) {
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, &ExportablePlot::showContextMenu);
    setNoAntialiasingOnDrag(true);
}

void ExportablePlot::showContextMenu(const QPoint& position) {
    QMenu menu(this);
    menu.addAction(tr("Export as PNG, SVG or PDF…"), this, &ExportablePlot::exportWithDialog);
    menu.addAction(tr("Copy"), this, &ExportablePlot::copyToClipboard);
    menu.addAction(tr("Reset zoom"), this, &ExportablePlot::resetZoom);
    menu.exec(mapToGlobal(position));
}

void ExportablePlot::wheelEvent(QWheelEvent* event) {
    if (!(event->modifiers() & Qt::ControlModifier)) {
        for (QWidget* above = parentWidget(); above; above = above->parentWidget()) {
            if (auto* page = qobject_cast<QScrollArea*>(above)) {
                if (page->verticalScrollBar()->isVisible()) {
                    event->ignore();  // on to the page
                    return;
                }
                break;
            }
        }
    }
    QCustomPlot::wheelEvent(event);
}

void ExportablePlot::resetZoom() {
    rescaleAxes();
    replot();
}

void ExportablePlot::copyToClipboard() {
    QApplication::clipboard()->setPixmap(toPixmap(width(), height()));
}

void ExportablePlot::exportWithDialog() {
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export plot"), documents + "/" + exportName_ + ".png",
        tr("PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf)"));
    if (path.isEmpty()) {
        return;
    }
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Export size"));
    auto* form = new QFormLayout(&dialog);
    auto* width = new QSpinBox(&dialog);
    auto* height = new QSpinBox(&dialog);
    auto* dpi = new QSpinBox(&dialog);
    width->setRange(100, 10000);
    height->setRange(100, 10000);
    dpi->setRange(48, 1200);
    width->setValue(this->width());
    height->setValue(this->height());
    dpi->setValue(plotFormatForPath(path) == PlotFormat::Png ? 192 : 96);
    form->addRow(tr("Width (px)"), width);
    form->addRow(tr("Height (px)"), height);
    form->addRow(tr("Resolution (DPI, PNG)"), dpi);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    const QString error = exportPlot(*this, path, width->value(), height->value(), dpi->value());
    if (!error.isEmpty()) {
        warnPlainly(this, tr("Export failed"), error);
    }
}

}  // namespace ue::ui
