#include "plots/RocPlot.h"

#include <algorithm>
#include <cmath>

#include "plots/PlotPalette.h"

namespace ue::ui {

QColor scoreColor(Score score) {
    switch (score) {
        case Score::PredictiveEntropy:
            return kSeriesRed;
        case Score::MutualInformation:
            return kSeriesPurple;
        case Score::ExpectedEntropy:
            return kSeriesOrange;
        case Score::VariationRatio:
            return kSeriesBrown;
        case Score::Margin:
            return kSeriesGreen;
        case Score::LogitVariance:
            return kSeriesPink;
        case Score::MaxProbability:
            break;
    }
    return kSeriesBlue;
}

RocPlot::RocPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("ood-roc");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    xAxis->setLabel(tr("false positive rate (in-distribution flagged)"));
    yAxis->setLabel(tr("true positive rate (OOD flagged)"));
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setBrush(kLegendBackdrop);
    legend->setRowSpacing(-3);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    showMessage(tr("Choose an out-of-distribution set"));
}

void RocPlot::setCurves(const std::vector<OodDetection>& results, Score chosen) {
    clearPlaceholder();
    clearGraphs();
    title_->setText(tr("ROC: out-of-distribution as positive"));
    QCPGraph* diagonal = addGraph();
    diagonal->setPen(QPen(kChanceLineColour, 1, Qt::DashLine));
    diagonal->setData({0, 1}, {0, 1});
    diagonal->removeFromLegend();
    for (const auto& r : results) {
        QCPGraph* graph = addGraph();
        graph->setPen(QPen(scoreColor(r.score), r.score == chosen ? 2.6 : 1.2));
        graph->setName(QString::fromStdString(scoreName(r.score)) +
                       tr("  AUROC %1").arg(r.auroc, 0, 'f', 3));
        QVector<double> x, y;
        for (const auto& point : r.roc) {
            x << point.fpr;
            y << point.tpr;
        }
        graph->setData(x, y, true);
    }
    resetZoom();
}

void RocPlot::showMessage(const QString& message) {
    clearGraphs();
    title_->setText(tr("ROC: out-of-distribution as positive"));
    showPlaceholder(message);
}

void RocPlot::resetZoom() {
    xAxis->setRange(0, 1);
    yAxis->setRange(0, 1.02);
    replot();
}

ScoreHistogramsPlot::ScoreHistogramsPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("ood-histograms");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    in_ = new QCPBars(xAxis, yAxis);
    in_->setName(tr("in-distribution"));
    in_->setPen(QPen(kMeasuredColour));
    in_->setBrush(withAlpha(kMeasuredColour, 110));
    out_ = new QCPBars(xAxis, yAxis);
    out_->setName(tr("out-of-distribution"));
    out_->setPen(QPen(kFlaggedColour));
    out_->setBrush(withAlpha(kFlaggedColour, 110));
    yAxis->setLabel(tr("share of the set"));
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setBrush(kLegendBackdrop);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    showMessage(tr("Run an out-of-distribution set to compare its scores with these images'."));
}

void ScoreHistogramsPlot::setValues(const std::vector<double>& in, const std::vector<double>& out,
                                    const QString& scoreName, int bins) {
    in_->data()->clear();
    out_->data()->clear();
    if (in.empty() || out.empty()) {
        showMessage(tr("No values"));
        return;
    }
    clearPlaceholder();
    double lo = std::min(*std::min_element(in.begin(), in.end()),
                         *std::min_element(out.begin(), out.end()));
    double hi = std::max(*std::max_element(in.begin(), in.end()),
                         *std::max_element(out.begin(), out.end()));
    if (hi <= lo) {
        hi = lo + 1e-9;
    }
    const double width = (hi - lo) / bins;
    const auto fill = [&](QCPBars* bars, const std::vector<double>& values) {
        std::vector<double> counts(std::size_t(bins), 0.0);
        for (double v : values) {
            counts[std::size_t(std::clamp(int((v - lo) / width), 0, bins - 1))] += 1;
        }
        for (int b = 0; b < bins; ++b) {
            bars->addData(lo + (b + 0.5) * width, counts[std::size_t(b)] / values.size());
        }
        bars->setWidth(width);
    };
    fill(in_, in);
    fill(out_, out);
    xAxis->setLabel(scoreName);
    title_->setText(tr("%1: %2 in vs %3 OOD").arg(scoreName).arg(in.size()).arg(out.size()));
    resetZoom();
}

void ScoreHistogramsPlot::showMessage(const QString& message) {
    in_->data()->clear();
    out_->data()->clear();
    title_->setText(tr("Histograms: in-distribution vs OOD"));
    showPlaceholder(message);
}

QVector<double> ScoreHistogramsPlot::shares(int set) const {
    QVector<double> values;
    const QCPBars* bars = set == 0 ? in_ : out_;
    for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) {
        values << it->value;
    }
    return values;
}

void ScoreHistogramsPlot::resetZoom() {
    rescaleAxes();
    yAxis->setRangeLower(0);
    yAxis->setRangeUpper(yAxis->range().upper * 1.1);
    replot();
}

}  // namespace ue::ui
