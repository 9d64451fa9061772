#include "plots/RiskCoveragePlot.h"

#include <algorithm>

#include "plots/LegendPlacement.h"
#include "plots/PlotPalette.h"
#include "plots/RocPlot.h"
#include "plots/WrappedText.h"

namespace ue::ui {

RiskCoveragePlot::RiskCoveragePlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("risk-coverage");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    xAxis->setLabel(tr("coverage (share kept, most confident first)"));
    yAxis->setLabel(tr("risk (error rate of kept)"));
    // The legend goes under the axes, in columns: the curves start high at the left and end
    // high at the right, and the noisy first few percent reach any height, so no corner
    // inside the axes stays free of them.
    legend->setFont(QFont(font().family(), 8));
    putLegendUnderAxes(*this, 2);
    marker_ = new QCPItemStraightLine(this);
    marker_->setPen(QPen(kPickedValueColour, 1.4, Qt::DashLine));
    marker_->setVisible(false);
    showMessage(
        tr("Run the analysis to see how the error rate falls as uncertain images are "
           "rejected."));
}

void RiskCoveragePlot::setCurves(const std::vector<RiskCoverageCurve>& curves, Score chosen) {
    clearPlaceholder();
    clearGraphs();
    titleText_ = tr("Risk–coverage (click: show what is rejected)");
    fitTitle();
    maxRisk_ = 0.01;
    // A curve cannot show more points than pixels: thin long ones, keeping both ends.
    constexpr std::size_t kMaxPoints = 2000;
    for (const auto& curve : curves) {
        QCPGraph* graph = addGraph();
        const bool bold = curve.score == chosen;
        graph->setPen(QPen(scoreColor(curve.score), bold ? 2.6 : 1.2));
        graph->setName(QString::fromStdString(scoreName(curve.score)) +
                       tr("  AURC %1").arg(curve.aurc, 0, 'f', 4));
        const std::size_t n = curve.coverage.size();
        const std::size_t step = std::max<std::size_t>(1, n / kMaxPoints);
        QVector<double> x, y;
        for (std::size_t k = 0; k < n; k += step) {
            x << curve.coverage[k];
            y << curve.risk[k];
        }
        if (n > 0 && (n - 1) % step != 0) {
            x << curve.coverage[n - 1];
            y << curve.risk[n - 1];
        }
        graph->setData(x, y, true);
        // The first few points are noisy (a handful of images); scale to the rest.
        for (std::size_t k = n / 10; k < n; ++k) {
            maxRisk_ = std::max(maxRisk_, curve.risk[k]);
        }
    }
    fitLegendColumns(legend, width(), 3);
    resetZoom();
}

// In a narrow dock the title ran over the axis label: it wraps instead.
void RiskCoveragePlot::fitTitle() {
    title_->setText(
        wrapToWidth(titleText_, QFontMetrics(title_->font()), std::max(80, width() - 8)));
}

void RiskCoveragePlot::resizeEvent(QResizeEvent* event) {
    fitTitle();
    fitLegendColumns(legend, width(), 3);
    ExportablePlot::resizeEvent(event);
}

void RiskCoveragePlot::markCoverage(double coverage) {
    marker_->setVisible(coverage >= 0);
    marker_->point1->setCoords(coverage, 0);
    marker_->point2->setCoords(coverage, 1);
    replot();
}

void RiskCoveragePlot::showMessage(const QString& message) {
    clearGraphs();
    marker_->setVisible(false);
    titleText_ = tr("Risk–coverage");
    fitTitle();
    showPlaceholder(message);
}

void RiskCoveragePlot::resetZoom() {
    xAxis->setRange(0, 1.0);
    yAxis->setRange(0, maxRisk_ * 1.15);
    replot();
}

void RiskCoveragePlot::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && graphCount() > 0 && !showsPlaceholder() &&
        axisRect()->rect().contains(event->pos())) {
        const double coverage = std::clamp(xAxis->pixelToCoord(event->pos().x()), 0.0, 1.0);
        markCoverage(coverage);
        emit coverageClicked(coverage);
    }
    ExportablePlot::mousePressEvent(event);
}

}  // namespace ue::ui
