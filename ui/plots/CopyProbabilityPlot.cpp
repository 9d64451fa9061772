#include "plots/CopyProbabilityPlot.h"

#include "plots/PlotPalette.h"

namespace ue::ui {

CopyProbabilityPlot::CopyProbabilityPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("tta-copies");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    xAxis->setLabel(tr("augmented copy"));
    yAxis->setLabel(tr("probability"));
    const auto makeBars = [this](const QColor& colour, const QString& name) {
        auto* bars = new QCPBars(xAxis, yAxis);
        bars->setBrush(colour);
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.75);
        bars->setName(name);
        return bars;
    };
    agreeing_ = makeBars(withAlpha(kMeasuredColour, 210), tr("copy agrees"));
    disagreeing_ = makeBars(withAlpha(kFlaggedColour, 210), tr("copy predicts another class"));
    trueClass_ = addGraph();
    trueClass_->setLineStyle(QCPGraph::lsNone);
    trueClass_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, kTrueClassColour, kTrueClassColour, 7));
    trueClass_->setName(tr("true class"));
    mean_ = new QCPItemStraightLine(this);
    mean_->setPen(QPen(kInkColour, 1.5, Qt::DashLine));
    // The legend in its own row under the title: bars reach 1, so no corner of the axes is free.
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setBorderPen(Qt::NoPen);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    axisRect()->insetLayout()->take(legend);
    plotLayout()->insertRow(1);
    plotLayout()->addElement(1, 0, legend);
    plotLayout()->setRowStretchFactor(1, 0.001);
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    xAxis->setTicker(ticker);
}

void CopyProbabilityPlot::setOutcomes(const std::vector<CopyOutcome>& outcomes,
                                      const QString& overallClass, const QString& trueClass,
                                      int overallPrediction) {
    clearPlaceholder();
    QVector<double> agreeKeys, agreeValues, otherKeys, otherValues, trueKeys, trueValues;
    double sum = 0;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        const CopyOutcome& o = outcomes[i];
        const double key = double(i + 1);
        sum += o.referenceProbability;
        if (o.predicted == overallPrediction) {
            agreeKeys << key;
            agreeValues << o.referenceProbability;
        } else {
            otherKeys << key;
            otherValues << o.referenceProbability;
        }
        if (!trueClass.isEmpty() && o.trueClassProbability >= 0) {
            trueKeys << key;
            trueValues << o.trueClassProbability;
        }
    }
    agreeing_->setData(agreeKeys, agreeValues, true);
    disagreeing_->setData(otherKeys, otherValues, true);
    trueClass_->setData(trueKeys, trueValues, true);
    trueClass_->setName(tr("p(%1), the true class").arg(trueClass));
    trueClass_->setVisible(!trueKeys.isEmpty());
    trueClass_->removeFromLegend();
    if (!trueKeys.isEmpty()) {
        trueClass_->addToLegend();
    }
    copies_ = int(outcomes.size());
    const double mean = copies_ > 0 ? sum / copies_ : 0.0;
    mean_->point1->setCoords(0, mean);
    mean_->point2->setCoords(1, mean);
    mean_->setVisible(copies_ > 0);
    title_->setText(
        tr("p(%1) in each copy · mean %2 (dashed) · %3 of %4 copies predict another class")
            .arg(overallClass, QString::number(mean, 'f', 3), QString::number(otherKeys.size()),
                 QString::number(copies_)));
    resetZoom();
}

void CopyProbabilityPlot::showMessage(const QString& message) {
    agreeing_->data()->clear();
    disagreeing_->data()->clear();
    trueClass_->data()->clear();
    mean_->setVisible(false);
    copies_ = 0;
    title_->setText(QString());
    resetZoom();
    showPlaceholder(message);
}

int CopyProbabilityPlot::barCount() const {
    return agreeing_->dataCount() + disagreeing_->dataCount();
}

void CopyProbabilityPlot::resetZoom() {
    xAxis->setRange(0.3, std::max(copies_, 1) + 0.7);
    yAxis->setRange(0, 1.05);
    replot();
}

}  // namespace ue::ui
