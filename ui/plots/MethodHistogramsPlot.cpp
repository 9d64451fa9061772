#include "plots/MethodHistogramsPlot.h"

#include <algorithm>

#include "model/PathText.h"
#include "plots/LegendNames.h"
#include "plots/PlotPalette.h"

namespace ue::ui {

MethodHistogramsPlot::MethodHistogramsPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("methods-image-histograms");
    // The panels are axis rects of our own: the default one goes, the legend (which lived in
    // it) is kept and placed under the panels.
    axisRect()->insetLayout()->take(legend);
    plotLayout()->clear();
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    showMessage(tr("Select an image the comparison analysed."));
}

void MethodHistogramsPlot::clearAll() {
    clearPlottables();
    clearItems();
    legend->setVisible(false);
    if (legend->layout()) {
        legend->layout()->take(legend);
    }
    // Everything below the title: the panels and the legend's row.
    while (plotLayout()->rowCount() > 1) {
        plotLayout()->removeAt(plotLayout()->rowColToIndex(1, 0));
        plotLayout()->simplify();
    }
    rects_.clear();
    graphs_.clear();
    shownClasses_.clear();
}

void MethodHistogramsPlot::showMessage(const QString& message) {
    clearAll();
    title_->setText(message);
    replot();
}

void MethodHistogramsPlot::showImage(const QString& title, const std::vector<Entry>& entries,
                                     const QStringList& classes) {
    clearAll();
    const std::vector<int> order = MethodSpreadPlot::topClasses(entries, maxClasses_);
    if (order.empty()) {
        showMessage(tr("%1: not analysed by any method yet").arg(title));
        return;
    }
    shownClasses_ = order;

    // One row per class, stacked: every panel gets the plot's full width for [0,1].
    auto* panels = new QCPLayoutGrid;
    panels->setRowSpacing(2);
    plotLayout()->addElement(1, 0, panels);
    const QFont small(font().family(), 8);
    auto* marginGroup = new QCPMarginGroup(this);
    for (int k = 0; k < int(order.size()); ++k) {
        const int cls = order[std::size_t(k)];
        const bool last = k + 1 == int(order.size());
        auto* rect = new QCPAxisRect(this);
        panels->addElement(k, 0, rect);
        rects_.push_back(rect);
        // Five panels in the Compare tab's lower half: at QCustomPlot's default minimum they
        // overflowed it and squeezed the title and the legend out of view.
        rect->setMinimumSize(60, 16);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, marginGroup);
        auto* x = rect->axis(QCPAxis::atBottom);
        auto* y = rect->axis(QCPAxis::atLeft);
        x->setTickLabels(last);
        x->setTickLabelFont(small);
        y->setTickLabelFont(small);
        y->ticker()->setTickCount(1);
        // The class names inside the panels, not as rotated axis labels: in a short plot the
        // panels are too low for a name turned on its side, and neighbouring names ran together.
        auto* name = new QCPItemText(this);
        name->setClipAxisRect(rect);
        name->position->setAxisRect(rect);
        name->position->setType(QCPItemPosition::ptAxisRectRatio);
        name->position->setCoords(0.99, 0.04);
        name->setPositionAlignment(Qt::AlignTop | Qt::AlignRight);
        name->setText(shownClassName(classes, cls));
        name->setFont(QFont(font().family(), 8, QFont::Bold));
        name->setBrush(kLabelBackdrop);
        name->setPadding(QMargins(3, 0, 3, 0));
        if (last) {
            x->setLabel(tr("probability\ny: share of the method's samples per bin"));
            x->setLabelFont(small);
        }
        graphs_.emplace_back();
        for (int m = 0; m < int(entries.size()); ++m) {
            const ImageSummary* s = entries[std::size_t(m)].summary;
            auto* graph = addGraph(x, y);
            graphs_.back().push_back(graph);
            graph->setName(entries[std::size_t(m)].method);
            graph->setLineStyle(QCPGraph::lsStepCenter);
            const QColor colour = MethodSpreadPlot::methodColor(m);
            graph->setPen(QPen(colour, 1.8));
            QColor fill = colour;
            fill.setAlpha(35);
            graph->setBrush(fill);
            if (k > 0) {
                graph->removeFromLegend();
            }
            if (!s || s->samples == 0) {
                continue;
            }
            const double width = 1.0 / s->histogramBins;
            for (int b = 0; b < s->histogramBins; ++b) {
                graph->addData((b + 0.5) * width,
                               double(s->histogramCount(cls, b)) / double(s->samples));
            }
        }
    }
    // The legend in a row of its own under the panels, methods side by side.
    legend->setVisible(true);
    legend->setFont(small);
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setWrap(2);
    legend->setIconSize(16, 10);
    auto* legendRow = new QCPLayoutGrid;
    plotLayout()->addElement(2, 0, legendRow);
    legendRow->addElement(0, 0, legend);
    legendRow->setMargins(QMargins(0, 0, 0, 4));
    plotLayout()->setRowStretchFactor(2, 0.001);
    title_->setText(title);
    fitLegendNames(legend, QWidget::width());
    resetZoom();
}

QVector<double> MethodHistogramsPlot::shares(int panel, int method) const {
    QVector<double> out;
    if (panel < 0 || panel >= int(graphs_.size()) || method < 0 ||
        method >= int(graphs_[std::size_t(panel)].size())) {
        return out;
    }
    const auto* data = graphs_[std::size_t(panel)][std::size_t(method)]->data().data();
    for (auto it = data->constBegin(); it != data->constEnd(); ++it) {
        out << it->value;
    }
    return out;
}

void MethodHistogramsPlot::resetZoom() {
    for (auto* rect : rects_) {
        rect->axis(QCPAxis::atBottom)->setRange(0, 1);
        rect->axis(QCPAxis::atLeft)->setRange(0, 1.02);
    }
    replot();
}

void MethodHistogramsPlot::resizeEvent(QResizeEvent* event) {
    fitLegendNames(legend, event->size().width());
    ExportablePlot::resizeEvent(event);
}

}  // namespace ue::ui
