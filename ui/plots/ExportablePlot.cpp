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
#include "plots/PlotPalette.h"
#include "plots/WrappedText.h"

namespace ue::ui {

ExportablePlot::ExportablePlot(QWidget* parent) : QCustomPlot(parent) {
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, &ExportablePlot::showContextMenu);
    setNoAntialiasingOnDrag(true);
}

void ExportablePlot::showPlaceholder(const QString& text) {
    placeholderText_ = text;
    if (!placeholderShown_) {
        placeholderShown_ = true;
        hiddenForPlaceholder_.clear();
        const auto hide = [this](QCPLayerable* layerable) {
            if (layerable && layerable->visible()) {
                layerable->setVisible(false);
                hiddenForPlaceholder_ << layerable;
            }
        };
        // The axis rects stay, empty, to hold the text: a hidden layout element gives up its
        // place, and the layout around it shifts. What they show goes (an axis takes its grid).
        for (QCPAxisRect* rect : axisRects()) {
            for (QCPAxis* axis : rect->axes()) {
                hide(axis);
            }
        }
        for (int i = 0; i < plottableCount(); ++i) {
            hide(plottable(i));
        }
        hide(legend);
        // A legend in a row of the layout (under the axes, say) is taken out of it: empty, it
        // is 8 pixels wide at most, and that narrowed the whole column to the title's width.
        if (auto* grid = legend ? qobject_cast<QCPLayoutGrid*>(legend->layout()) : nullptr) {
            for (int row = 0; row < grid->rowCount() && !legendHome_; ++row) {
                for (int column = 0; column < grid->columnCount(); ++column) {
                    if (grid->element(row, column) == legend) {
                        legendHome_ = grid;
                        legendCell_ = {row, column};
                        grid->take(legend);
                        break;
                    }
                }
            }
        }
        for (int i = 0; i < itemCount(); ++i) {
            hide(item(i));
        }
    }
    if (!placeholder_ && axisRect()) {
        placeholder_ = new QCPItemText(this);
        placeholder_->setClipToAxisRect(false);
        placeholder_->position->setType(QCPItemPosition::ptAxisRectRatio);
        placeholder_->position->setAxisRect(axisRect());
        placeholder_->position->setCoords(0.5, 0.45);
        placeholder_->setPositionAlignment(Qt::AlignCenter);
        placeholder_->setTextAlignment(Qt::AlignCenter);
        placeholder_->setFont(QFont(font().family(), 10));
        placeholder_->setColor(kKeyTextColour);
        placeholder_->setSelectable(false);
        // The text wraps to the width the layout gives the axes, known only once laid out.
        connect(this, &QCustomPlot::afterLayout, placeholder_, [this] { wrapPlaceholder(); });
    }
    wrapPlaceholder();
    replot();
}

void ExportablePlot::clearPlaceholder() {
    if (!placeholderShown_) {
        return;
    }
    placeholderShown_ = false;
    if (placeholder_) {
        removeItem(placeholder_);
    }
    for (const QPointer<QCPLayerable>& layerable : hiddenForPlaceholder_) {
        if (layerable) {
            layerable->setVisible(true);
        }
    }
    hiddenForPlaceholder_.clear();
    if (legendHome_) {
        legendHome_->addElement(legendCell_.x(), legendCell_.y(), legend);
        legendHome_ = nullptr;
    }
}

void ExportablePlot::wrapPlaceholder() {
    if (!placeholder_ || !axisRect()) {
        return;
    }
    const QFontMetrics metrics(placeholder_->font());
    const int room =
        std::max(metrics.averageCharWidth() * 12, axisRect()->outerRect().width() - 16);
    placeholder_->setText(wrapToWidth(placeholderText_, metrics, room));
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
