#include "plots/MethodSpreadPlot.h"

#include <algorithm>
#include <iterator>
#include <numeric>

#include "model/PathText.h"
#include "plots/LegendNames.h"
#include "plots/PlotPalette.h"

namespace ue::ui {

QColor MethodSpreadPlot::methodColor(int index) {
    constexpr int count = int(std::size(kMethodColours));
    return kMethodColours[((index % count) + count) % count];
}

MethodSpreadPlot::MethodSpreadPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("methods-image");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    // The legend in a row of its own under the axes: inside them it covered the boxes of the
    // likeliest classes, which is where they are tallest.
    axisRect()->insetLayout()->take(legend);
    plotLayout()->addElement(2, 0, legend);
    plotLayout()->setRowStretchFactor(2, 0.001);
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setWrap(2);
    legend->setBorderPen(Qt::NoPen);
    legend->setIconSize(16, 10);
    legend->setMargins(QMargins(4, 0, 4, 2));
    // Class names side by side collide when the plot is narrow.
    xAxis->setTickLabelRotation(-25);
    yAxis->setLabel(tr("probability over the samples"));
    xAxis->setLabel(tr("box 25–75 %, whiskers 10–90 %\nline median, ◇ mean"));
    showMessage(tr("Select an image the comparison analysed."));
}

std::vector<int> MethodSpreadPlot::topClasses(const std::vector<Entry>& entries, int count) {
    int classCount = 0;
    for (const Entry& entry : entries) {
        if (entry.summary && entry.summary->samples > 0) {
            classCount = std::max(classCount, entry.summary->classes);
        }
    }
    // The classes some method finds likely: the rest are flat at 0.
    std::vector<double> best(static_cast<std::size_t>(classCount), 0.0);
    for (const Entry& entry : entries) {
        for (int c = 0; entry.summary && c < entry.summary->classes; ++c) {
            best[std::size_t(c)] = std::max(best[std::size_t(c)], double(entry.summary->mean[c]));
        }
    }
    std::vector<int> order(static_cast<std::size_t>(classCount));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return best[a] > best[b]; });
    order.resize(std::size_t(std::min(classCount, count)));
    return order;
}

void MethodSpreadPlot::clearAll() {
    clearPlottables();
    shownClasses_.clear();
}

void MethodSpreadPlot::showMessage(const QString& message) {
    clearAll();
    legend->setVisible(false);
    title_->setText(QString());
    showPlaceholder(message);
}

void MethodSpreadPlot::showImage(const QString& title, const std::vector<Entry>& entries,
                                 const QStringList& classes) {
    clearAll();
    const std::vector<int> order = topClasses(entries, maxClasses_);
    if (order.empty()) {
        showMessage(tr("%1: not analysed by any method yet").arg(title));
        return;
    }
    clearPlaceholder();
    shownClasses_ = order;

    const int methods = int(entries.size());
    const double width = 0.8 / std::max(methods, 1);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int k = 0; k < int(order.size()); ++k) {
        const int cls = order[std::size_t(k)];
        ticker->addTick(k + 1, shownClassName(classes, cls));
    }
    for (int m = 0; m < methods; ++m) {
        const ImageSummary* s = entries[std::size_t(m)].summary;
        const QColor colour = methodColor(m);
        auto* boxes = new QCPStatisticalBox(xAxis, yAxis);
        boxes->setName(entries[std::size_t(m)].method);
        boxes->setWidth(width * 0.85);
        boxes->setWhiskerWidth(width * 0.4);
        QColor fill = colour;
        fill.setAlpha(90);
        boxes->setBrush(fill);
        boxes->setPen(QPen(colour, 1.3));
        boxes->setWhiskerPen(QPen(colour, 1.1));
        boxes->setMedianPen(QPen(colour.darker(160), 2.2));
        auto* means = addGraph();
        means->removeFromLegend();
        means->setLineStyle(QCPGraph::lsNone);
        means->setScatterStyle(QCPScatterStyle(
            QCPScatterStyle::ssDiamond, QPen(colour.darker(150), 1.1), QBrush(Qt::white), 7));
        if (!s) {
            boxes->setName(entries[std::size_t(m)].method + tr(" (not analysed)"));
            continue;
        }
        for (int k = 0; k < int(order.size()); ++k) {
            const int c = order[std::size_t(k)];
            const double key = k + 1 - 0.4 + width * (m + 0.5);
            boxes->addData(key, s->q10[c], s->q25[c], s->median[c], s->q75[c], s->q90[c]);
            means->addData(key, s->mean[c]);
        }
    }
    xAxis->setTicker(ticker);
    xAxis->setSubTicks(false);
    xAxis->grid()->setVisible(false);
    title_->setText(title);
    legend->setVisible(true);
    fitLegendNames(legend, QWidget::width());
    resetZoom();
}

int MethodSpreadPlot::boxCount() const {
    int count = 0;
    for (int i = 0; i < plottableCount(); ++i) {
        if (auto* boxes = qobject_cast<QCPStatisticalBox*>(
                const_cast<MethodSpreadPlot*>(this)->plottable(i))) {
            count += boxes->dataCount();
        }
    }
    return count;
}

void MethodSpreadPlot::resetZoom() {
    xAxis->setRange(0.5, std::max<double>(1.0, double(shownClasses_.size())) + 0.5);
    yAxis->setRange(-0.02, 1.02);
    replot();
}

void MethodSpreadPlot::resizeEvent(QResizeEvent* event) {
    fitLegendNames(legend, event->size().width());
    ExportablePlot::resizeEvent(event);
}

}  // namespace ue::ui
