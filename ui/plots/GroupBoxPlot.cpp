#include "plots/GroupBoxPlot.h"

#include <algorithm>

#include "plots/PlotPalette.h"

namespace ue::ui {

GroupBoxPlot::GroupBoxPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("rank-groups");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    boxes_ = new QCPStatisticalBox(xAxis, yAxis);
    boxes_->setBrush(withAlpha(kMeasuredColour, 90));
    boxes_->setPen(QPen(kMeasuredColour, 1.4));
    boxes_->setMedianPen(QPen(kBoxMedianColour, 2.2));
    boxes_->setWidth(0.5);
    means_ = addGraph();
    means_->setLineStyle(QCPGraph::lsNone);
    means_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::black, 1.2), QBrush(Qt::white), 8));
    xAxis->setLabel(tr("box 25–75 %, whiskers 10–90 %, line median, ◇ mean"));
    showMessage(tr("Run the analysis to see these distributions."));
}

void GroupBoxPlot::setBoxes(const std::vector<Box>& boxes, const QString& valueName,
                            const QString& title) {
    clearPlaceholder();
    boxes_->data()->clear();
    QVector<double> keys, means;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    low_ = 1e300;
    high_ = -1e300;
    count_ = int(boxes.size());
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const Box& b = boxes[i];
        const double key = double(i + 1);
        ticker->addTick(key, tr("%1\n(%2 images)").arg(b.name, QString::number(b.count)));
        if (b.count == 0) {
            continue;
        }
        boxes_->addData(key, b.q10, b.q25, b.median, b.q75, b.q90);
        keys << key;
        means << b.mean;
        low_ = std::min(low_, b.q10);
        high_ = std::max({high_, b.q90, b.mean});
    }
    if (keys.isEmpty()) {
        low_ = 0;
        high_ = 1;
    }
    means_->setData(keys, means, true);
    xAxis->setTicker(ticker);
    yAxis->setLabel(valueName);
    title_->setText(!title.isEmpty() ? title : tr("%1 by the true class's rank").arg(valueName));
    resetZoom();
}

void GroupBoxPlot::showMessage(const QString& message) {
    boxes_->data()->clear();
    means_->data()->clear();
    title_->setText(QString());
    showPlaceholder(message);
}

int GroupBoxPlot::boxCount() const {
    return boxes_->dataCount();
}

void GroupBoxPlot::resetZoom() {
    xAxis->setRange(0.4, count_ + 0.6);
    const double pad = std::max(1e-6, (high_ - low_) * 0.08);
    yAxis->setRange(low_ - pad, high_ + pad);
    replot();
}

}  // namespace ue::ui
