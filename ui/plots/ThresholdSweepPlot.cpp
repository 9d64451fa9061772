#include "plots/ThresholdSweepPlot.h"

#include <algorithm>

#include "plots/LegendPlacement.h"
#include "plots/PlotPalette.h"

namespace ue::ui {
namespace {
const QColor& kCoverage = kSeriesBlue;
const QColor& kAccuracy = kSeriesGreen;
}  // namespace

ThresholdSweepPlot::ThresholdSweepPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("threshold-sweep");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    xAxis->setLabel(tr("percentile q (click to choose)"));
    yAxis->setLabel(tr("share of the test images"));
    // Under the axes: in a short window the inset legend covered most of the curves.
    legend->setFont(QFont(font().family(), 8));
    putLegendUnderAxes(*this, 2);
    marker_ = new QCPItemStraightLine(this);
    marker_->setPen(QPen(kPickedValueColour, 1.4, Qt::DashLine));
    marker_->setVisible(false);
    showMessage(tr("Run a labelled validation set"));
}

void ThresholdSweepPlot::setCurves(const std::vector<double>& percentiles,
                                   const std::vector<double>& coverage,
                                   const std::vector<double>& accuracyAfter,
                                   double accuracyBefore) {
    clearPlaceholder();
    clearGraphs();
    title_->setText(tr("Threshold rule against q"));
    const QVector<double> q(percentiles.begin(), percentiles.end());
    auto add = [&](const std::vector<double>& values, const QString& name, const QPen& pen) {
        QCPGraph* graph = addGraph();
        graph->setName(name);
        graph->setPen(pen);
        graph->setData(q, QVector<double>(values.begin(), values.end()), true);
    };
    add(coverage, tr("coverage"), QPen(kCoverage, 2.2));
    add(accuracyAfter, tr("accuracy of the covered"), QPen(kAccuracy, 2.2));
    add(std::vector<double>(percentiles.size(), accuracyBefore), tr("accuracy without the rule"),
        QPen(kAccuracy, 1.2, Qt::DashLine));
    fitLegendColumns(legend, width(), 3);
    maxPercentile_ = percentiles.empty() ? 50 : percentiles.back();
    lowest_ = accuracyBefore;
    for (const auto* values : {&coverage, &accuracyAfter}) {
        if (!values->empty()) {
            lowest_ = std::min(lowest_, *std::min_element(values->begin(), values->end()));
        }
    }
    resetZoom();
}

void ThresholdSweepPlot::markPercentile(double percentile) {
    marker_->setVisible(percentile >= 0);
    marker_->point1->setCoords(percentile, 0);
    marker_->point2->setCoords(percentile, 1);
    replot();
}

void ThresholdSweepPlot::showMessage(const QString& message) {
    clearGraphs();
    marker_->setVisible(false);
    title_->setText(tr("Threshold rule against q"));
    showPlaceholder(message);
}

void ThresholdSweepPlot::resetZoom() {
    xAxis->setRange(0, maxPercentile_);
    // Start below the lowest curve so the gap between coverage and accuracy reads well.
    yAxis->setRange(std::max(0.0, lowest_ - 0.05), 1.005);
    replot();
}

void ThresholdSweepPlot::resizeEvent(QResizeEvent* event) {
    fitLegendColumns(legend, width(), 3);
    ExportablePlot::resizeEvent(event);
}

void ThresholdSweepPlot::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && graphCount() > 0 && !showsPlaceholder() &&
        axisRect()->rect().contains(event->pos())) {
        const double q = std::clamp(xAxis->pixelToCoord(event->pos().x()), 0.0, maxPercentile_);
        emit percentileClicked(q);
    }
    ExportablePlot::mousePressEvent(event);
}

}  // namespace ue::ui
