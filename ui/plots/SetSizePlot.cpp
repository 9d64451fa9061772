#include "plots/SetSizePlot.h"

#include <algorithm>
#include <numeric>

#include "plots/PlotPalette.h"

namespace ue::ui {

SetSizePlot::SetSizePlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("set-sizes");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    xAxis->setLabel(tr("prediction set size (classes)"));
    yAxis->setLabel(tr("share of the images"));
    empty_ = new QCPBars(xAxis, yAxis);
    empty_->setBrush(withAlpha(kFlaggedColour, 200));
    empty_->setPen(Qt::NoPen);
    empty_->setWidth(0.8);
    sizes_ = new QCPBars(xAxis, yAxis);
    sizes_->setBrush(withAlpha(kMeasuredColour, 200));
    sizes_->setPen(Qt::NoPen);
    sizes_->setWidth(0.8);
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1);
    xAxis->setTicker(ticker);
    showMessage(tr("Run a labelled validation set to calibrate the prediction sets."));
}

void SetSizePlot::setCounts(const std::vector<std::size_t>& imagesPerSize, const QString& title) {
    clearPlaceholder();
    title_->setText(title);
    const double total =
        double(std::accumulate(imagesPerSize.begin(), imagesPerSize.end(), std::size_t(0)));
    QVector<double> keys, values;
    tallest_ = 0.05;
    for (std::size_t size = 1; size < imagesPerSize.size(); ++size) {
        keys << double(size);
        values << (total > 0 ? double(imagesPerSize[size]) / total : 0.0);
        tallest_ = std::max(tallest_, values.back());
    }
    sizes_->setData(keys, values, true);
    const double emptyShare =
        total > 0 && !imagesPerSize.empty() ? double(imagesPerSize[0]) / total : 0.0;
    empty_->setData({0.0}, {emptyShare}, true);
    tallest_ = std::max(tallest_, emptyShare);
    largest_ = std::max(1, int(imagesPerSize.size()) - 1);
    resetZoom();
}

void SetSizePlot::showMessage(const QString& message) {
    sizes_->data()->clear();
    empty_->data()->clear();
    title_->setText(tr("Prediction set sizes"));
    showPlaceholder(message);
}

QVector<double> SetSizePlot::shares() const {
    QVector<double> out;
    for (auto it = empty_->data()->constBegin(); it != empty_->data()->constEnd(); ++it) {
        out << it->value;
    }
    for (auto it = sizes_->data()->constBegin(); it != sizes_->data()->constEnd(); ++it) {
        out << it->value;
    }
    return out;
}

void SetSizePlot::resetZoom() {
    xAxis->setRange(-0.6, largest_ + 0.6);
    yAxis->setRange(0, tallest_ * 1.1);
    replot();
}

}  // namespace ue::ui
