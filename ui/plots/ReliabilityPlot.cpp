#include "plots/ReliabilityPlot.h"

namespace ue::ui {

ReliabilityPlot::ReliabilityPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("reliability");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    diagonal_ = addGraph();
    diagonal_->setPen(QPen(QColor(0x88, 0x88, 0x88), 1, Qt::DashLine));
    diagonal_->setData({0, 1}, {0, 1});
    bars_ = new QCPBars(xAxis, yAxis);
    bars_->setPen(QPen(QColor(0x4c, 0x72, 0xb0)));
    bars_->setBrush(QColor(0x4c, 0x72, 0xb0, 120));
    points_ = addGraph();
    points_->setPen(QPen(QColor(0xc4, 0x4e, 0x52), 1.6));
    points_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(0xc4, 0x4e, 0x52), Qt::white, 6));
    xAxis->setLabel(tr("confidence (max mean probability)"));
    yAxis->setLabel(tr("accuracy"));
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    resetZoom();
}

void ReliabilityPlot::setBins(const std::vector<ReliabilityBin>& bins, bool equalMass, double ece) {
    QVector<double> x, y;
    drawnBins_ = 0;
    bars_->data()->clear();
    points_->data()->clear();
    for (const auto& bin : bins) {
        if (bin.count == 0) {
            continue;
        }
        ++drawnBins_;
        if (equalMass) {
            x << bin.meanConfidence;
            y << bin.accuracy;
        } else {
            bars_->addData((bin.lower + bin.upper) / 2, bin.accuracy);
            bars_->setWidth(bin.upper - bin.lower);
        }
    }
    points_->setData(x, y, true);
    bars_->setVisible(!equalMass);
    points_->setVisible(equalMass);
    title_->setText(tr("Reliability, %1 bins · ECE %2")
                        .arg(equalMass ? tr("equal-mass") : tr("equal-width"))
                        .arg(ece, 0, 'f', 4));
    resetZoom();
}

void ReliabilityPlot::showMessage(const QString& message) {
    bars_->data()->clear();
    points_->data()->clear();
    drawnBins_ = 0;
    title_->setText(message);
    replot();
}

void ReliabilityPlot::resetZoom() {
    xAxis->setRange(0, 1);
    yAxis->setRange(0, 1.02);
    replot();
}

}  // namespace ue::ui
