#include "plots/ReliabilityPlot.h"

#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "plots/PlotPalette.h"

namespace ue::ui {
namespace {
// A bin's accuracy: bars for equal-width bins, points for equal-mass ones.
const QColor& kBarColour = kSeriesBlue;
const QColor& kPointColour = kSeriesRed;
}  // namespace

ReliabilityPlot::ReliabilityPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("reliability");
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    diagonal_ = addGraph();
    diagonal_->setPen(QPen(kReferenceLineColour, 1, Qt::DashLine));
    diagonal_->setData({0, 1}, {0, 1});
    bars_ = new QCPBars(xAxis, yAxis);
    bars_->setPen(QPen(kBarColour));
    bars_->setBrush(withAlpha(kBarColour, 120));
    points_ = addGraph();
    points_->setPen(QPen(kPointColour, 1.6));
    points_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, kPointColour, Qt::white, 6));
    yAxis->setLabel(tr("accuracy"));
    // The count panel under the diagram carries the confidence axis's numbers and label.
    xAxis->setTickLabels(false);

    countRect_ = new QCPAxisRect(this);
    plotLayout()->addElement(2, 0, countRect_);
    plotLayout()->setRowStretchFactors({0.001, 3.0, 1.0});
    plotLayout()->setRowSpacing(0);
    // Both panels' axes start and end at the same pixels, so a bin's bar lines up with its count.
    auto* columns = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, columns);
    countRect_->setMarginGroup(QCP::msLeft | QCP::msRight, columns);
    QCPAxis* countX = countRect_->axis(QCPAxis::atBottom);
    QCPAxis* countY = countRect_->axis(QCPAxis::atLeft);
    countX->setLabel(tr("confidence (max mean probability)"));
    countY->setLabel(tr("images"));
    countY->setLabelFont(QFont(font().family(), 8));
    countY->setTickLabelFont(QFont(font().family(), 7));
    countY->ticker()->setTickCount(2);
    countX->grid()->setVisible(false);
    // Zoom and drag the diagram; the counts follow its confidence range.
    countRect_->setRangeDrag(Qt::Orientations());
    countRect_->setRangeZoom(Qt::Orientations());
    connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), countX,
            qOverload<const QCPRange&>(&QCPAxis::setRange));
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setMouseTracking(true);
    connect(this, &QCustomPlot::afterLayout, this, &ReliabilityPlot::fitCountLabels);
    showMessage(tr("Run the analysis to see whether the confidence matches the accuracy."));
}

void ReliabilityPlot::clearCounts() {
    for (auto* item : countBars_) {
        removeItem(item);
    }
    for (auto* item : countTexts_) {
        removeItem(item);
    }
    countBars_.clear();
    countTexts_.clear();
    drawn_.clear();
    bars_->data()->clear();
    points_->data()->clear();
    maxCount_ = 1;
}

void ReliabilityPlot::setBins(const std::vector<ReliabilityBin>& bins, bool equalMass, double ece) {
    clearPlaceholder();
    clearCounts();
    QCPAxis* countX = countRect_->axis(QCPAxis::atBottom);
    QCPAxis* countY = countRect_->axis(QCPAxis::atLeft);
    QVector<double> x, y;
    for (const auto& bin : bins) {
        if (bin.count == 0) {
            continue;
        }
        drawn_.push_back(bin);
        maxCount_ = std::max(maxCount_, double(bin.count));
        if (equalMass) {
            x << bin.meanConfidence;
            y << bin.accuracy;
        } else {
            bars_->addData((bin.lower + bin.upper) / 2, bin.accuracy);
            bars_->setWidth(bin.upper - bin.lower);
        }
        // Equal-mass bins differ in width: a rectangle per bin, not one QCPBars of one width.
        auto* bar = new QCPItemRect(this);
        bar->setClipAxisRect(countRect_);
        for (auto* corner : {bar->topLeft, bar->bottomRight}) {
            corner->setAxes(countX, countY);
        }
        bar->topLeft->setCoords(bin.lower, double(bin.count));
        bar->bottomRight->setCoords(bin.upper, 0);
        bar->setPen(QPen(Qt::white, 0.8));
        bar->setBrush(kCountColour);
        bar->setSelectable(false);
        countBars_.push_back(bar);
        auto* text = new QCPItemText(this);
        text->setClipToAxisRect(false);
        text->position->setAxes(countX, countY);
        text->position->setCoords((bin.lower + bin.upper) / 2, double(bin.count));
        text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        text->setFont(QFont(font().family(), 7));
        text->setColor(kInkColour);
        text->setText(QString::number(bin.count));
        text->setSelectable(false);
        countTexts_.push_back(text);
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
    clearCounts();
    title_->setText(tr("Reliability diagram"));
    showPlaceholder(message);
}

// Numbers that would run into each other are left to the tooltip (15 bins in a narrow dock fit;
// 100 do not). The largest bins are numbered first, and a number may reach over a neighbour
// that has none: the tallest bar, in the last bin at the plot's edge, is the one a reader asks
// about.
void ReliabilityPlot::fitCountLabels() {
    const QCPAxis* countX = countRect_->axis(QCPAxis::atBottom);
    std::vector<std::size_t> order(countTexts_.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
        return drawn_[a].count > drawn_[b].count;
    });
    std::vector<std::pair<double, double>> taken;  // pixel spans of the numbers shown
    for (std::size_t i : order) {
        QCPItemText* text = countTexts_[i];
        const double centre = countX->coordToPixel((drawn_[i].lower + drawn_[i].upper) / 2);
        const double half = (QFontMetrics(text->font()).horizontalAdvance(text->text()) + 4) / 2.0;
        const double left = centre - half;
        const double right = centre + half;
        const bool free = left >= 0 && right <= width() &&
                          std::none_of(taken.begin(), taken.end(), [&](const auto& span) {
                              return left < span.second && span.first < right;
                          });
        text->setVisible(free);
        if (free) {
            taken.emplace_back(left, right);
        }
    }
}

std::vector<std::size_t> ReliabilityPlot::shownCounts() const {
    std::vector<std::size_t> counts;
    for (const auto* bar : countBars_) {
        counts.push_back(std::size_t(std::lround(bar->topLeft->coords().y())));
    }
    return counts;
}

QStringList ReliabilityPlot::countLabels() const {
    QStringList labels;
    for (const auto* text : countTexts_) {
        if (text->visible()) {
            labels << text->text();
        }
    }
    return labels;
}

QString ReliabilityPlot::toolTipAt(double confidence) const {
    for (const auto& bin : drawn_) {
        if (confidence < bin.lower || confidence > bin.upper) {
            continue;
        }
        const auto right = std::lround(bin.accuracy * double(bin.count));
        return tr("<b>confidence %1 – %2</b><br>%3 images, %4 classified right: accuracy %5<br>"
                  "mean confidence %6 · gap %7")
            .arg(bin.lower, 0, 'f', 3)
            .arg(bin.upper, 0, 'f', 3)
            .arg(bin.count)
            .arg(right)
            .arg(bin.accuracy, 0, 'f', 3)
            .arg(bin.meanConfidence, 0, 'f', 3)
            .arg(bin.accuracy - bin.meanConfidence, 0, 'f', 3);
    }
    return QString();
}

void ReliabilityPlot::mouseMoveEvent(QMouseEvent* event) {
    ExportablePlot::mouseMoveEvent(event);
    const QPointF position = event->position();
    if (!showsPlaceholder() && (axisRect()->rect().contains(position.toPoint()) ||
                                countRect_->rect().contains(position.toPoint()))) {
        const QString tip = toolTipAt(xAxis->pixelToCoord(position.x()));
        if (!tip.isEmpty()) {
            QToolTip::showText(event->globalPosition().toPoint(), tip, this);
            return;
        }
    }
    QToolTip::hideText();
}

void ReliabilityPlot::resetZoom() {
    xAxis->setRange(0, 1);
    yAxis->setRange(0, 1.02);
    // Room over the tallest bar for its number.
    countRect_->axis(QCPAxis::atLeft)->setRange(0, maxCount_ * 1.35);
    replot();
}

}  // namespace ue::ui
