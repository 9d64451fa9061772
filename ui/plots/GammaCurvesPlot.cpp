#include "plots/GammaCurvesPlot.h"

#include <cmath>

#include "plots/PlotPalette.h"

namespace ue::ui {

GammaCurvesPlot::GammaCurvesPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("gamma-curves");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    xAxis->setScaleType(QCPAxis::stLogarithmic);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (double tick : {0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0, 10.0}) {
        ticker->addTick(tick, QString::number(tick));
    }
    xAxis->setTicker(ticker);
    xAxis->setLabel(tr("γ   (< 1 brighter, > 1 darker)"));
    yAxis->setLabel(tr("share"));
    yAxis2->setVisible(true);
    yAxis2->setLabel(tr("nats"));
    // The legend goes below the axes, in columns: inside, it would hide the low curves.
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setBorderPen(Qt::NoPen);
    legend->setRowSpacing(-3);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(2);
    axisRect()->insetLayout()->take(legend);
    plotLayout()->addElement(2, 0, legend);
    plotLayout()->setRowStretchFactor(2, 0.001);
    identity_ = new QCPItemStraightLine(this);
    identity_->setPen(QPen(kReferenceLineColour, 1, Qt::DotLine));
    marker_ = new QCPItemStraightLine(this);
    marker_->setPen(QPen(kPickedValueColour, 1.4, Qt::DashLine));
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeZoomAxes(xAxis, nullptr);
    showMessage(tr("Run a gamma sweep to see these curves."));
}

void GammaCurvesPlot::setCurves(const std::vector<double>& gammas, const std::vector<Curve>& curves,
                                const QString& title) {
    clearPlaceholder();
    clearGraphs();
    title_->setText(title);
    QVector<double> x(gammas.begin(), gammas.end());
    for (const Curve& curve : curves) {
        QCPGraph* graph = addGraph(xAxis, curve.onRightAxis ? yAxis2 : yAxis);
        graph->setName(curve.name + (curve.onRightAxis ? tr(" (right)") : QString()));
        graph->setPen(QPen(curve.color, 1.8, curve.style));
        // Diamonds a little larger than circles, to look as large.
        const double size = curve.marker == QCPScatterStyle::ssDiamond ? 6.5 : 5;
        graph->setScatterStyle(QCPScatterStyle(curve.marker, curve.color, Qt::white, size));
        QVector<double> y(curve.values.begin(), curve.values.end());
        graph->setData(x, y, true);
    }
    resetZoom();
}

void GammaCurvesPlot::markGamma(double gamma) {
    markedGamma_ = gamma;
    marker_->point1->setCoords(gamma, 0);
    marker_->point2->setCoords(gamma, 1);
    replot(QCustomPlot::rpQueuedReplot);
}

void GammaCurvesPlot::showMessage(const QString& message) {
    clearGraphs();
    title_->setText(QString());
    showPlaceholder(message);
}

QVector<double> GammaCurvesPlot::curveValues(int curve) const {
    QVector<double> values;
    for (auto it = graph(curve)->data()->constBegin(); it != graph(curve)->data()->constEnd();
         ++it) {
        values << it->value;
    }
    return values;
}

void GammaCurvesPlot::resetZoom() {
    double minGamma = 1.0;
    double maxGamma = 1.0;
    double rightMax = 0.1;
    double leftMin = 1.0;
    for (int i = 0; i < graphCount(); ++i) {
        for (auto it = graph(i)->data()->constBegin(); it != graph(i)->data()->constEnd(); ++it) {
            minGamma = std::min(minGamma, it->key);
            maxGamma = std::max(maxGamma, it->key);
            if (!std::isfinite(it->value)) {
                continue;
            }
            if (graph(i)->valueAxis() == yAxis2) {
                rightMax = std::max(rightMax, it->value);
            } else {
                leftMin = std::min(leftMin, it->value);
            }
        }
    }
    // Shares near 1 (accuracy moving by a few points) get a zoomed axis, starting at a tenth.
    leftMin = std::max(0.0, std::floor((leftMin - 0.02) * 10) / 10);
    xAxis->setRange(minGamma / 1.15, maxGamma * 1.15);
    yAxis->setRange(leftMin, 1.0 + (1.0 - leftMin) * 0.02);
    yAxis2->setRange(0, rightMax * 1.1);
    identity_->point1->setCoords(1.0, 0);
    identity_->point2->setCoords(1.0, 1);
    marker_->point1->setCoords(markedGamma_, 0);
    marker_->point2->setCoords(markedGamma_, 1);
    replot();
}

}  // namespace ue::ui
