#include "plots/ClassProbabilityPlot.h"

#include <QFontMetrics>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/PathText.h"
#include "plots/PlotPalette.h"
#include "plots/WrappedText.h"

namespace ue::ui {
namespace {

const QColor kTrueColour = withAlpha(kTrueClassColour, 60);
// Bars end at 1; the axis goes on to make room for the number after a long bar.
constexpr double kAxisEnd = 1.12;
// The float sums of identical passes leave a spread of ~1e-8, never this much.
constexpr float kNoSpread = 1e-6f;

}  // namespace

ClassProbabilityPlot::ClassProbabilityPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("class-probabilities");
    setMouseTracking(true);
    connect(this, &QCustomPlot::afterLayout, this, &ClassProbabilityPlot::placeValues);
    plotLayout()->insertRow(0);
    key_ = new QCPTextElement(this, QString(), QFont(font().family(), 8));
    key_->setTextColor(kKeyTextColour);
    plotLayout()->addElement(0, 0, key_);
    // Classes down the left axis, the first at the top; probability along the bottom.
    bars_ = new QCPBars(yAxis, xAxis);
    predicted_ = new QCPBars(yAxis, xAxis);
    for (auto* bars : {bars_, predicted_}) {
        bars->setWidth(0.7);
    }
    bars_->setBrush(kClassBarColour);
    bars_->setPen(QPen(kClassBarColour.darker(120), 0.5));
    predicted_->setBrush(kPredictedClassColour);
    predicted_->setPen(QPen(kPredictedClassColour.darker(120), 0.5));
    yAxis->setRangeReversed(true);
    yAxis->setSubTicks(false);
    yAxis->grid()->setVisible(false);
    yAxis->setTickLength(0, 0);
    auto quarters = QSharedPointer<QCPAxisTickerFixed>::create();
    quarters->setTickStep(0.25);
    quarters->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    xAxis->setTicker(quarters);
    xAxis->setLabel(tr("probability"));
    showMessage(tr("Select an analysed image to see its class probabilities."));
}

bool ClassProbabilityPlot::suits(const ImageSummary& summary) {
    if (summary.samples == 1) {
        return true;
    }
    return summary.samples > 1 && std::all_of(summary.stddev.begin(), summary.stddev.end(),
                                              [](float s) { return s < kNoSpread; });
}

void ClassProbabilityPlot::clearAll() {
    clearItems();
    values_.clear();
    bars_->data()->clear();
    predicted_->data()->clear();
    shownClasses_.clear();
    rowThresholds_.clear();
    trueRow_ = -1;
    addedTrueClass_ = -1;
}

void ClassProbabilityPlot::showMessage(const QString& message) {
    clearAll();
    keyText_.clear();
    key_->setText(QString());
    showPlaceholder(message);
}

void ClassProbabilityPlot::showSummary(const ImageSummary& summary, const QStringList& classes,
                                       const std::vector<float>& thresholds, int trueClass) {
    // Before clearItems: the marks it restores are deleted with the rest.
    clearPlaceholder();
    clearAll();
    summary_ = summary;
    classes_ = classes;
    classThresholds_ = !thresholds.empty();
    std::vector<int> order(std::size_t(summary.classes));
    std::iota(order.begin(), order.end(), 0);
    const bool someClasses = summary.classes > maxBars_;
    if (someClasses) {
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return summary.mean[a] > summary.mean[b]; });
        order.resize(std::size_t(maxBars_));
        // A misclassified image's true class is seldom among its likeliest: it takes the
        // last row.
        if (trueClass >= 0 && trueClass < summary.classes &&
            std::find(order.begin(), order.end(), trueClass) == order.end()) {
            order.back() = trueClass;
            addedTrueClass_ = trueClass;
        }
    }
    shownClasses_ = order;
    const int rows = int(order.size());
    for (int row = 0; row < rows; ++row) {
        const int cls = order[std::size_t(row)];
        const double p = summary.mean[cls];
        (cls == summary.argmaxPrediction ? predicted_ : bars_)->addData(row, p);
        rowThresholds_.push_back(classThresholds_ ? thresholds.at(std::size_t(cls)) : 0.5);
        if (cls == trueClass) {
            trueRow_ = row;
            auto* band = new QCPItemRect(this);
            band->topLeft->setCoords(0, row - 0.5);
            band->bottomRight->setCoords(kAxisEnd, row + 0.5);
            band->setPen(Qt::NoPen);
            band->setBrush(kTrueColour);
            band->setLayer("background");
        }
        if (classThresholds_) {
            auto* mark = new QCPItemLine(this);
            mark->start->setCoords(rowThresholds_.back(), row - 0.45);
            mark->end->setCoords(rowThresholds_.back(), row + 0.45);
            mark->setPen(QPen(kThresholdColour, 1.4, Qt::DashLine));
        }
        auto* value = new QCPItemText(this);
        value->setClipToAxisRect(false);
        value->position->setCoords(p, row);
        value->setFont(QFont(font().family(), 8));
        value->setText(QString::number(p, 'f', 3));
        values_.push_back(value);
    }
    if (!classThresholds_) {
        auto* line = new QCPItemStraightLine(this);
        line->point1->setCoords(0.5, 0);
        line->point2->setCoords(0.5, 1);
        line->setPen(QPen(kThresholdColour, 1.2, Qt::DashLine));
    }
    QString text =
        summary.samples == 1
            ? tr("One pass: the class probabilities (one value per class, no spread to show)")
            : tr("All %1 samples gave the same class probabilities: no spread to show")
                  .arg(summary.samples);
    text += "\n" + tr("orange: predicted · green: true class · dashed: %1")
                       .arg(classThresholds_ ? tr("each class's threshold")
                                             : tr("0.5, the median rule's threshold"));
    if (someClasses) {
        text += addedTrueClass_ >= 0
                    ? tr("\nThe likeliest %1 of %2 classes, and the true class")
                          .arg(maxBars_ - 1)
                          .arg(summary.classes)
                    : tr("\nThe likeliest %1 of %2 classes").arg(maxBars_).arg(summary.classes);
    }
    keyText_ = text;
    fitKey();
    fitRowLabels();
    resetZoom();
}

// A bar's number follows it, or sits inside its end when the room after it is too short (a
// bar near 1 in a narrow plot): known only once the layout has set the axis's pixels.
void ClassProbabilityPlot::placeValues() {
    for (QCPItemText* value : values_) {
        const double room = xAxis->coordToPixel(kAxisEnd) - value->position->pixelPosition().x();
        const bool inside = room < QFontMetrics(value->font()).horizontalAdvance(value->text()) + 8;
        value->setPositionAlignment(Qt::AlignVCenter | (inside ? Qt::AlignRight : Qt::AlignLeft));
        value->setPadding(inside ? QMargins(0, 0, 4, 0) : QMargins(4, 0, 0, 0));
        value->setColor(inside ? Qt::white : kInkColour);
    }
}

// Long class names are cut to a third of the width (the tooltip has them whole); the true
// class's mark is never cut.
void ClassProbabilityPlot::fitRowLabels() {
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const QFontMetrics metrics(yAxis->tickLabelFont());
    const QString mark = tr(" (true class)");
    const int room = std::max(metrics.averageCharWidth() * 8, width() / 3);
    for (int row = 0; row < int(shownClasses_.size()); ++row) {
        const int cls = shownClasses_[std::size_t(row)];
        const QString suffix = row == trueRow_ ? mark : QString();
        const QString name = metrics.elidedText(
            shownClassName(classes_, cls), Qt::ElideRight,
            std::max(metrics.averageCharWidth() * 3, room - metrics.horizontalAdvance(suffix)));
        ticker->addTick(row, name + suffix);
    }
    yAxis->setTicker(ticker);
}

QVector<double> ClassProbabilityPlot::barValues() const {
    QVector<double> values(int(shownClasses_.size()), 0.0);
    for (const QCPBars* bars : {bars_, predicted_}) {
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) {
            values[int(it->key)] = it->value;
        }
    }
    return values;
}

int ClassProbabilityPlot::predictedRow() const {
    return predicted_->dataCount() == 0 ? -1 : int(predicted_->data()->constBegin()->key);
}

QString ClassProbabilityPlot::rowLabel(int row) const {
    auto* ticker = dynamic_cast<QCPAxisTickerText*>(yAxis->ticker().data());
    return ticker ? ticker->ticks().value(row) : QString();
}

QString ClassProbabilityPlot::key() const {
    return keyText_;
}

// The key wraps to the plot's width: in a narrow inspector its lines ran off both sides.
void ClassProbabilityPlot::fitKey() {
    key_->setText(wrapToWidth(keyText_, QFontMetrics(key_->font()), std::max(120, width() - 12)));
}

QString ClassProbabilityPlot::barToolTip(int row) const {
    const int cls = shownClasses_.at(std::size_t(row));
    const double p = summary_.mean[cls];
    const double threshold = rowThresholds_.at(std::size_t(row));
    // The class name comes from the model's meta: escaped, and outside the chain of args.
    QString tip = "<b>" + shownClassName(classes_, cls).toHtmlEscaped() + "</b>";
    if (row == trueRow_) {
        tip += tr(" (true class)");
    }
    tip += "<br>" + (summary_.samples == 1
                         ? tr("p = %1").arg(p, 0, 'f', 4)
                         : tr("p = %1 in all %2 samples").arg(p, 0, 'f', 4).arg(summary_.samples));
    if (cls == summary_.argmaxPrediction) {
        tip += tr("<br>the largest: predicted by the argmax rule");
    }
    tip += "<br>" + (classThresholds_
                         ? tr("threshold %1: %2")
                               .arg(threshold, 0, 'f', 3)
                               .arg(p >= threshold ? tr("at or above it") : tr("below it"))
                         : tr("median rule: %1 0.5").arg(p > 0.5 ? tr("above") : tr("not above")));
    return tip;
}

void ClassProbabilityPlot::resetZoom() {
    xAxis->setRange(0, kAxisEnd);
    yAxis->setRange(-0.6, std::max<double>(1, shownClasses_.size()) - 0.4);
    replot();
}

void ClassProbabilityPlot::resizeEvent(QResizeEvent* event) {
    fitKey();
    fitRowLabels();
    ExportablePlot::resizeEvent(event);
}

void ClassProbabilityPlot::mouseMoveEvent(QMouseEvent* event) {
    ExportablePlot::mouseMoveEvent(event);
    const QPoint position = event->position().toPoint();
    if (!showsPlaceholder() && axisRect()->rect().contains(position)) {
        const int row = int(std::lround(yAxis->pixelToCoord(position.y())));
        if (row >= 0 && row < int(shownClasses_.size())) {
            QToolTip::showText(event->globalPosition().toPoint(), barToolTip(row), this);
            return;
        }
    }
    QToolTip::hideText();
}

}  // namespace ue::ui
