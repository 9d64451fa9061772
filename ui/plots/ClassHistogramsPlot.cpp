#include "plots/ClassHistogramsPlot.h"

#include <QFontMetrics>
#include <QToolTip>
#include <algorithm>
#include <numeric>

#include "model/PathText.h"
#include "plots/PlotPalette.h"

namespace ue::ui {
namespace {

const QColor kBandColour = withAlpha(kClassBarColour, 40);

QCPItemStraightLine* verticalLine(QCustomPlot* plot, QCPAxisRect* rect, double x, const QPen& pen) {
    auto* line = new QCPItemStraightLine(plot);
    line->setClipAxisRect(rect);
    for (auto* position : {line->point1, line->point2}) {
        position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    }
    line->point1->setCoords(x, 0);
    line->point2->setCoords(x, 1);
    line->setPen(pen);
    return line;
}

}  // namespace

ClassHistogramsPlot::ClassHistogramsPlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("class-histograms");
    setMouseTracking(true);
    showMessage(tr("Select an analysed image to see its per-class histograms."));
}

void ClassHistogramsPlot::clearAll() {
    clearItems();
    clearPlottables();
    plotLayout()->clear();
    rects_.clear();
    bars_.clear();
    titles_.clear();
    key_ = nullptr;
    shownClasses_.clear();
    panelThresholds_.clear();
}

void ClassHistogramsPlot::showMessage(const QString& message) {
    clearAll();
    // Centred between two empty rows, in the placeholder's grey, as the other plots show theirs.
    auto* text = new QCPTextElement(this, message, QFont(font().family(), 10));
    text->setTextColor(kKeyTextColour);
    plotLayout()->addElement(0, 0, new QCPLayoutElement(this));
    plotLayout()->addElement(1, 0, text);
    plotLayout()->addElement(2, 0, new QCPLayoutElement(this));
    plotLayout()->setRowStretchFactors({0.9, 0.001, 1.1});
    replot();
}

void ClassHistogramsPlot::showSummary(const ImageSummary& summary, const QStringList& classes,
                                      const std::vector<float>& thresholds, int trueClass) {
    clearAll();
    summary_ = summary;
    classes_ = classes;
    addedTrueClass_ = -1;
    std::vector<int> order(summary.classes);
    std::iota(order.begin(), order.end(), 0);
    const bool someClasses = summary.classes > maxPanels_;
    if (someClasses) {
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return summary.mean[a] > summary.mean[b]; });
        order.resize(maxPanels_);
        // A misclassified image's true class is seldom among its top classes, and its
        // probability is the one a reader looks for: it takes the last panel.
        if (trueClass >= 0 && trueClass < summary.classes &&
            std::find(order.begin(), order.end(), trueClass) == order.end()) {
            order.back() = trueClass;
            addedTrueClass_ = trueClass;
        }
    }
    shownClasses_ = order;
    for (int cls : order) {
        panelThresholds_.push_back(thresholds.empty() ? 0.5 : thresholds.at(cls));
    }
    // One y scale for all panels, so their heights compare.
    double yMax = 0.05;
    for (int cls : order) {
        for (int b = 0; b < summary.histogramBins; ++b) {
            yMax = std::max(yMax, double(summary.histogramCount(cls, b)) / summary.samples);
        }
    }
    yMax = std::min(1.0, yMax * 1.15);
    const int panels = int(order.size());
    const int columns = panels <= 4 ? panels : (panels <= 6 ? 3 : 5);
    columns_ = std::max(1, columns);
    // A key first, so an exported figure explains itself; the panels below it.
    // "Samples": T passes, members (x T) of an ensemble, or copies x T under test-time
    // augmentation. One sample (a deterministic pass) has no 10-90 % band to shade.
    QString key = summary.samples == 1
                      ? tr("Share of the 1 sample per bin (a single pass) · solid line: "
                           "median · ◇: mean · dashed: decision threshold")
                      : tr("Share of the %1 samples per bin · shaded: 10–90 % · solid line: "
                           "median · ◇: mean · dashed: decision threshold")
                            .arg(summary.samples);
    if (someClasses) {
        key += addedTrueClass_ >= 0
                   ? tr("\nThe top %1 of %2 classes by mean, and the true class")
                         .arg(maxPanels_ - 1)
                         .arg(summary.classes)
                   : tr("\nThe top %1 of %2 classes by mean").arg(maxPanels_).arg(summary.classes);
    }
    key_ = new QCPTextElement(this, key, QFont(font().family(), 8));
    key_->setTextColor(kKeyTextColour);
    plotLayout()->addElement(0, 0, key_);
    auto* grid = new QCPLayoutGrid;
    plotLayout()->addElement(1, 0, grid);
    plotLayout()->setRowStretchFactors({0.001, 1.0});
    for (int panel = 0; panel < panels; ++panel) {
        auto* cell = new QCPLayoutGrid;
        grid->addElement(panel / columns, panel % columns, cell);
        addPanel(cell, panel, order[panel], yMax, panel % columns == 0);
    }
    fitTitles();
    replot();
}

// A title is as wide as its text, and the widest sets its column's width: one long class name
// ("great white shark, white shark, man-eater, ...") squeezed the other columns until their
// numbers were cut. Names are elided to an equal share of the width; the tooltip has them whole.
// The numbers' line shortens its words instead, so the numbers themselves always show.
void ClassHistogramsPlot::fitTitles() {
    const int share = std::max(40, width() / columns_ - 16);
    // The numbers' line may run to the panel's edges (it centres over its panel).
    const int numbersRoom = std::max(40, width() / columns_);
    for (std::size_t panel = 0; panel < titles_.size(); ++panel) {
        QCPTextElement* title = titles_[panel];
        const QFontMetrics metrics(title->font());
        const int cls = shownClasses_[panel];
        // The suffix stays whole; the name is what gets cut.
        const QString suffix = cls == addedTrueClass_ ? tr(" (true class)") : QString();
        const QString name = shownClassName(classes_, cls);
        const QString median = QString::number(summary_.median[cls], 'f', 2);
        const QString mean = QString::number(summary_.mean[cls], 'f', 2);
        QString numbers = tr("median %1 · mean %2").arg(median, mean);
        if (metrics.horizontalAdvance(numbers) > numbersRoom) {
            numbers = tr("med %1 · μ %2").arg(median, mean);
        }
        const int nameRoom =
            std::max(metrics.averageCharWidth() * 3, share - metrics.horizontalAdvance(suffix));
        title->setText(metrics.elidedText(name, Qt::ElideRight, nameRoom) + suffix + "\n" +
                       numbers);
    }
}

// QCustomPlot's own hint is its layout's, and so the titles' as fitTitles last set them: wide,
// they held the widget wide (a tab scrolled sideways at widths where the short titles fit).
// This is the width at which fitTitles' short forms fit, or the key's, whichever is wider.
QSize ClassHistogramsPlot::minimumSizeHint() const {
    QSize hint = ExportablePlot::minimumSizeHint();
    if (titles_.empty()) {
        return hint;
    }
    const QFontMetrics metrics(titles_.front()->font());
    const int shortTitle = metrics.horizontalAdvance(tr("med %1 · μ %2").arg("0.00", "0.00"));
    int narrowest = columns_ * (shortTitle + 16);
    if (key_) {
        const QFontMetrics keyMetrics(key_->font());
        const QMargins margins = key_->margins();
        narrowest = std::max(narrowest, keyMetrics.boundingRect(QRect(), 0, key_->text()).width() +
                                            margins.left() + margins.right());
    }
    hint.setWidth(std::min(hint.width(), narrowest));
    return hint;
}

QString ClassHistogramsPlot::titleOf(int panel) const {
    return titles_.at(std::size_t(panel))->text();
}

void ClassHistogramsPlot::resizeEvent(QResizeEvent* event) {
    fitTitles();
    ExportablePlot::resizeEvent(event);
}

void ClassHistogramsPlot::addPanel(QCPLayoutGrid* cell, int panel, int cls, double yMax,
                                   bool firstColumn) {
    const bool predicted = cls == summary_.argmaxPrediction;
    QFont titleFont(font().family(), 8, predicted ? QFont::Bold : QFont::Normal);
    // Its text is set by fitTitles.
    auto* title = new QCPTextElement(this, QString(), titleFont);
    titles_.push_back(title);
    title->setTextColor(predicted ? kPredictedClassColour.darker(130) : Qt::black);
    cell->addElement(0, 0, title);
    auto* rect = new QCPAxisRect(this);
    cell->addElement(1, 0, rect);
    cell->setRowStretchFactors({0.001, 1.0});
    cell->setRowSpacing(0);
    rects_.push_back(rect);

    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    x->setRange(0, 1);
    y->setRange(0, yMax);
    // 0, 0.5 and 1: with quarters, the labels of a panel narrowed by its y axis ran together
    // ("00.250.50.751").
    auto halves = QSharedPointer<QCPAxisTickerFixed>::create();
    halves->setTickStep(0.5);
    halves->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    x->setTicker(halves);
    y->ticker()->setTickCount(3);
    x->setTickLabelFont(QFont(font().family(), 7));
    y->setTickLabelFont(QFont(font().family(), 7));
    if (firstColumn) {
        // Of the samples, as the key says: passes, ensemble members or augmented copies.
        y->setLabel(tr("share of samples"));
        y->setLabelFont(QFont(font().family(), 7));
    }
    x->grid()->setVisible(false);

    const int bins = summary_.histogramBins;
    QVector<double> keys(bins);
    QVector<double> shares(bins);
    for (int b = 0; b < bins; ++b) {
        keys[b] = (b + 0.5) / bins;
        shares[b] = double(summary_.histogramCount(cls, b)) / summary_.samples;
    }
    auto* bars = new QCPBars(x, y);
    bars->setWidth(1.0 / bins);
    bars->setData(keys, shares, true);
    const QColor colour = predicted ? kPredictedClassColour : kClassBarColour;
    bars->setBrush(colour);
    bars->setPen(QPen(colour.darker(120), 0.5));
    bars_.push_back(bars);

    // Quantiles of one sample are that sample: no band.
    if (summary_.samples > 1) {
        auto* band = new QCPItemRect(this);
        band->setClipAxisRect(rect);
        band->topLeft->setAxes(x, y);
        band->bottomRight->setAxes(x, y);
        band->topLeft->setCoords(summary_.q10[cls], yMax);
        band->bottomRight->setCoords(summary_.q90[cls], 0);
        band->setPen(Qt::NoPen);
        band->setBrush(kBandColour);
        band->setLayer("background");
    }

    verticalLine(this, rect, summary_.median[cls], QPen(kCentreColour, 1.6));
    verticalLine(this, rect, panelThresholds_[panel], QPen(kThresholdColour, 1.2, Qt::DashLine));

    auto* mean = new QCPGraph(x, y);
    mean->setData({double(summary_.mean[cls])}, {yMax * 0.93});
    mean->setLineStyle(QCPGraph::lsNone);
    mean->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, kCentreColour, Qt::white, 8));
}

QString ClassHistogramsPlot::binToolTip(int panel, int bin) const {
    const int cls = shownClasses_.at(std::size_t(panel));
    const int bins = summary_.histogramBins;
    const unsigned count = summary_.histogramCount(cls, bin);
    // The class name comes from the model's meta: escaped, and outside the chain of args
    // (one holding "%2" would take the next value).
    const QString name = shownClassName(classes_, cls);
    const QString head = "<b>" + name.toHtmlEscaped() + "</b><br>" +
                         tr("p in [%1, %2): ")
                             .arg(double(bin) / bins, 0, 'f', 2)
                             .arg(double(bin + 1) / bins, 0, 'f', 2);
    const QString threshold =
        tr("threshold %1").arg(panelThresholds_.at(std::size_t(panel)), 0, 'f', 3);
    if (summary_.samples == 1) {
        // One pass: its probability, no spread to tell.
        return head +
               tr("%1 of 1 sample<br>p = %2<br>").arg(count).arg(summary_.mean[cls], 0, 'f', 3) +
               threshold;
    }
    return head +
           tr("%1 of %2 samples (%3 %)<br>median %4 · mean %5 · std %6<br>10–90 %: %7 – %8<br>")
               .arg(count)
               .arg(summary_.samples)
               .arg(100.0 * count / summary_.samples, 0, 'f', 1)
               .arg(summary_.median[cls], 0, 'f', 3)
               .arg(summary_.mean[cls], 0, 'f', 3)
               .arg(summary_.stddev[cls], 0, 'f', 3)
               .arg(summary_.q10[cls], 0, 'f', 3)
               .arg(summary_.q90[cls], 0, 'f', 3) +
           threshold;
}

QVector<double> ClassHistogramsPlot::barShares(int panel) const {
    QVector<double> shares;
    for (auto it = bars_.at(panel)->data()->constBegin(); it != bars_.at(panel)->data()->constEnd();
         ++it) {
        shares << it->value;
    }
    return shares;
}

void ClassHistogramsPlot::resetZoom() {
    for (auto* rect : rects_) {
        rect->axis(QCPAxis::atBottom)->setRange(0, 1);
    }
    replot();
}

void ClassHistogramsPlot::mouseMoveEvent(QMouseEvent* event) {
    ExportablePlot::mouseMoveEvent(event);
    for (std::size_t panel = 0; panel < rects_.size(); ++panel) {
        QCPAxisRect* rect = rects_[panel];
        if (!rect->rect().contains(event->pos())) {
            continue;
        }
        const double p = rect->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x());
        const int bins = summary_.histogramBins;
        const int bin = std::clamp(int(p * bins), 0, bins - 1);
        QToolTip::showText(event->globalPosition().toPoint(), binToolTip(int(panel), bin), this);
        return;
    }
    QToolTip::hideText();
}

}  // namespace ue::ui
