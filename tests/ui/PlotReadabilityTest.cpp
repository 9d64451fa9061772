// What the plots show when there is little or nothing to show, and whether what they add to
// help reading covers what they show: empty plots with no axes of their own invention, the
// risk-coverage legend off the curves, the reliability diagram's bins with their counts, and
// class probabilities instead of one-sample histograms.
#include <QStackedWidget>
#include <QtTest>
#include <numeric>

#include "metrics/Calibration.h"
#include "metrics/ImageSummary.h"
#include "model/ImageListing.h"
#include "model/ResultsModel.h"
#include "model/ThumbnailCache.h"
#include "plots/ClassHistogramsPlot.h"
#include "plots/ClassProbabilityPlot.h"
#include "plots/ReliabilityPlot.h"
#include "plots/RiskCoveragePlot.h"
#include "views/CalibrationView.h"
#include "views/InspectorView.h"
#include "views/MainWindow.h"

using namespace ue;
using namespace ue::ui;

namespace {

const QStringList kClasses = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat"};

// The axes of every axis rect that a reader sees.
QStringList visibleAxes(const ExportablePlot& plot) {
    QStringList visible;
    for (QCPAxisRect* rect : plot.axisRects()) {
        for (QCPAxis* axis : rect->axes()) {
            if (axis->realVisibility()) {
                visible << QString("%1 axis (label '%2')")
                               .arg(int(axis->axisType()))
                               .arg(axis->label());
            }
        }
    }
    return visible;
}

// `n` images whose confidence rises with their index; every third is wrong.
std::vector<std::pair<ImageSummary, int>> labelledImages(int n) {
    std::vector<std::pair<ImageSummary, int>> images;
    for (int i = 0; i < n; ++i) {
        const float top = 0.3f + 0.69f * float(i) / float(n);
        std::vector<float> probs(kClasses.size(), (1 - top) / float(kClasses.size() - 1));
        probs[0] = top;
        images.emplace_back(summarizeSamples(probs.data(), 1, int(kClasses.size())),
                            i % 3 == 0 ? 1 : 0);
    }
    return images;
}

ImageResult resultOf(std::size_t index, const ImageSummary& summary, int label) {
    ImageResult result;
    result.index = index;
    result.path = "/nowhere/" + std::to_string(index) + ".png";
    result.label = label;
    result.ok = true;
    result.summary = summary;
    return result;
}

}  // namespace

class PlotReadabilityTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // Before a run every plot drew QCustomPlot's default axes, 0 to 5 with ticks, which read as
    // data: now each says what it waits for, and draws no axis.
    void aFreshWindowsPlotsDrawNoAxesButSayWhatTheyWaitFor() {
        MainWindow window;
        window.resize(1500, 920);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        int placeholders = 0;
        for (ExportablePlot* plot : window.findChildren<ExportablePlot*>()) {
            plot->replot();
            const QString name = plot->metaObject()->className();
            QVERIFY2(visibleAxes(*plot).isEmpty(),
                     qPrintable(name + ": " + visibleAxes(*plot).join(", ")));
            if (!plot->axisRects().isEmpty()) {
                QVERIFY2(!plot->placeholderText().isEmpty(), qPrintable(name));
                QVERIFY2(!plot->legend->realVisibility(), qPrintable(name));
                ++placeholders;
            }
        }
        // Calibration (2), ranking, rank breakdown, thresholds, conformal, OOD (2), gamma
        // sweep (2), augmented copies, comparison (2), the inspector's class probabilities.
        QVERIFY2(placeholders >= 12, qPrintable(QString::number(placeholders)));
    }

    // Data brings the axes and the legend back; a message after it takes them away again.
    void aPlaceholderGivesBackWhatItHid() {
        RiskCoveragePlot plot;
        plot.resize(480, 420);
        CalibrationAccumulator accumulator;
        for (const auto& [summary, label] : labelledImages(60)) {
            accumulator.add(summary, label);
        }
        plot.setCurves(accumulator.riskCoverageAllScores(), Score::MaxProbability);
        plot.replot();
        QVERIFY(!plot.showsPlaceholder());
        QCOMPARE(visibleAxes(plot).size(), 2);  // bottom and left
        QVERIFY(plot.legend->realVisibility());
        QCOMPARE(plot.legend->itemCount(), int(allScores().size()));

        plot.showMessage("nothing labelled");
        QVERIFY(visibleAxes(plot).isEmpty());
        QCOMPARE(plot.placeholderText(), QString("nothing labelled"));
        QVERIFY(!plot.legend->realVisibility());

        plot.setCurves(accumulator.riskCoverageAllScores(), Score::Margin);
        plot.replot();
        QCOMPARE(visibleAxes(plot).size(), 2);
        QVERIFY(plot.legend->realVisibility());
        QCOMPARE(plot.placeholderText(), QString());
    }

    // The legend sat in the top-left corner of the axes, over the curves, which start high
    // there (the noisy first few percent). It goes under the axes, at any width.
    void theRiskCoverageLegendCoversNoCurve() {
        CalibrationAccumulator accumulator;
        for (const auto& [summary, label] : labelledImages(90)) {
            accumulator.add(summary, label);
        }
        for (const QSize size : {QSize(480, 420), QSize(300, 300), QSize(900, 500)}) {
            RiskCoveragePlot plot;
            plot.resize(size);
            plot.show();
            QVERIFY(QTest::qWaitForWindowExposed(&plot));
            plot.setCurves(accumulator.riskCoverageAllScores(), Score::MaxProbability);
            plot.replot();
            const QRect legend = plot.legend->outerRect();
            const QRect axes = plot.axisRect()->outerRect();  // with tick labels and axis label
            QVERIFY(plot.legend->realVisibility());
            QVERIFY2(!legend.intersects(axes), qPrintable(QString("%1x%2: legend %3,%4 %5x%6")
                                                              .arg(size.width())
                                                              .arg(size.height())
                                                              .arg(legend.x())
                                                              .arg(legend.y())
                                                              .arg(legend.width())
                                                              .arg(legend.height())));
            QVERIFY2(plot.rect().contains(legend),
                     qPrintable(QString("%1x%2: legend %3,%4 %5x%6 in %7x%8")
                                    .arg(size.width())
                                    .arg(size.height())
                                    .arg(legend.x())
                                    .arg(legend.y())
                                    .arg(legend.width())
                                    .arg(legend.height())
                                    .arg(plot.width())
                                    .arg(plot.height())));
            // Every entry is whole: inside the plot.
            for (int i = 0; i < plot.legend->itemCount(); ++i) {
                QVERIFY(plot.rect().contains(plot.legend->item(i)->outerRect()));
            }
        }
    }

    // A bar's height means little without the images behind it: the count panel under the
    // diagram draws each bin's count, writes it over its bar, and the tooltip tells it.
    void theReliabilityBinsCarryTheirCounts() {
        CalibrationAccumulator accumulator;
        for (const auto& [summary, label] : labelledImages(200)) {
            accumulator.add(summary, label);
        }
        const CalibrationReport report = accumulator.calibration(10);
        ReliabilityPlot plot;
        plot.resize(480, 300);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setBins(report.equalWidth, false, report.eceEqualWidth);
        plot.replot();
        std::vector<std::size_t> expected;
        QStringList labels;
        for (const ReliabilityBin& bin : report.equalWidth) {
            if (bin.count > 0) {
                expected.push_back(bin.count);
                labels << QString::number(bin.count);
            }
        }
        QCOMPARE(plot.shownCounts(), expected);
        QCOMPARE(std::accumulate(expected.begin(), expected.end(), std::size_t(0)),
                 std::size_t(200));
        QCOMPARE(plot.countLabels(), labels);
        // The count panel shares the diagram's confidence axis, pixel for pixel.
        QCPAxis* countX = plot.countRect()->axis(QCPAxis::atBottom);
        QCOMPARE(countX->range().lower, plot.xAxis->range().lower);
        QCOMPARE(countX->range().upper, plot.xAxis->range().upper);
        QCOMPARE(plot.countRect()->left(), plot.axisRect()->left());
        QCOMPARE(plot.countRect()->right(), plot.axisRect()->right());
        // Hovering a bin tells its count and its accuracy.
        const ReliabilityBin& top = report.equalWidth.back();
        const QString tip = plot.toolTipAt((top.lower + top.upper) / 2);
        QVERIFY2(tip.contains(QString("%1 images").arg(top.count)), qPrintable(tip));
        QVERIFY2(tip.contains(QString("accuracy %1").arg(top.accuracy, 0, 'f', 3)),
                 qPrintable(tip));

        // Equal-mass bins: as many counts, each over its bin's own width.
        plot.setBins(report.equalMass, true, report.eceEqualMass);
        plot.replot();
        QCOMPARE(int(plot.shownCounts().size()), plot.drawnBins());
        QCOMPARE(plot.countLabels().size(), plot.drawnBins());

        // 100 bins in a narrow plot: numbers that would run together are left to the tooltip.
        const CalibrationReport fine = accumulator.calibration(100);
        plot.setBins(fine.equalWidth, false, fine.eceEqualWidth);
        plot.replot();
        QVERIFY(plot.countLabels().size() < plot.drawnBins());
        QVERIFY(!plot.toolTipAt(0.985).isEmpty() || !plot.toolTipAt(0.975).isEmpty());
    }

    // Before a run the calibration tab says to run; after a run of unlabelled images it says
    // why there is nothing.
    void theCalibrationTabSaysWhyItIsEmpty() {
        ThumbnailCache thumbnails(16);
        ResultsModel results(&thumbnails);
        results.setClasses(kClasses);
        CalibrationView view(&results);
        view.resize(480, 700);
        QVERIFY(view.reliability()->placeholderText().startsWith("Run the analysis"));
        QVERIFY(view.riskCoverage()->placeholderText().startsWith("Run the analysis"));

        std::vector<ImageEntry> entries;
        ResultBatch batch;
        const auto images = labelledImages(6);
        for (std::size_t i = 0; i < images.size(); ++i) {
            batch << resultOf(i, images[i].first, kNoLabel);
            entries.push_back({batch.back().path, kNoLabel, batch.back().path});
        }
        results.setImages(ImageListing::make(entries));
        results.addResults(batch);
        view.refresh();
        QVERIFY2(view.reliability()->placeholderText().contains("class-named folders"),
                 qPrintable(view.reliability()->placeholderText()));
        QVERIFY(visibleAxes(*view.reliability()).isEmpty());
    }

    // One pass per image: a histogram of one sample is a single full bin per class. The
    // inspector draws the class probabilities as bars instead: the predicted one orange, the
    // true one marked, the threshold dashed.
    void aSinglePassShowsClassProbabilitiesNotHistograms() {
        InspectorView view;
        view.resize(900, 800);
        view.setClasses(kClasses);
        const std::vector<float> one = {0.15f, 0.05f, 0.55f, 0.20f, 0.05f};
        ImageResult result = resultOf(0, summarizeSamples(one.data(), 1, 5), 3);
        const ImageEntry entry{result.path, 3, "0.png"};
        view.showImage(entry, &result);
        ClassProbabilityPlot* bars = view.probabilities();
        QCOMPARE(view.shownPlot(), static_cast<ExportablePlot*>(bars));
        QCOMPARE(bars->shownClasses(), (std::vector<int>{0, 1, 2, 3, 4}));
        const QVector<double> values = bars->barValues();
        for (int c = 0; c < 5; ++c) {
            QCOMPARE(float(values[c]), one[std::size_t(c)]);
        }
        QCOMPARE(bars->predictedRow(), 2);
        QCOMPARE(bars->trueClassRow(), 3);
        QVERIFY2(bars->rowLabel(3).endsWith("(true class)"), qPrintable(bars->rowLabel(3)));
        QCOMPARE(bars->rowLabel(2), QString("Pullover"));
        // No thresholds: the median rule's 0.5, which a single pass's median is compared with.
        QCOMPARE(bars->thresholdOf(2), 0.5);
        QVERIFY2(bars->key().startsWith("One pass"), qPrintable(bars->key()));
        QVERIFY(bars->barToolTip(2).contains("p = 0.5500"));
        QVERIFY(bars->barToolTip(2).contains("median rule: above 0.5"));
        QVERIFY(visibleAxes(*bars).size() == 2);

        // Per-class thresholds: each bar its own.
        const std::vector<float> thresholds = {0.4f, 0.9f, 0.6f, 0.3f, 0.5f};
        view.setThresholds(thresholds);
        view.showImage(entry, &result);
        for (int row = 0; row < 5; ++row) {
            QCOMPARE(bars->thresholdOf(row), double(thresholds[std::size_t(row)]));
        }
        QVERIFY(bars->barToolTip(2).contains("threshold 0.600: below it"));

        // Passes that differ: histograms, as before.
        std::vector<float> spread;
        for (int t = 0; t < 20; ++t) {
            const float a = 0.3f + 0.02f * float(t);
            spread.insert(spread.end(), {a, 0.1f, 0.5f - a / 2, 0.2f, 0.2f - a / 2});
        }
        ImageResult many = resultOf(1, summarizeSamples(spread.data(), 20, 5), 3);
        view.showImage(entry, &many);
        QCOMPARE(view.shownPlot(), static_cast<ExportablePlot*>(view.histograms()));
        QCOMPARE(int(view.histograms()->shownClasses().size()), 5);

        // Passes that all agree (a model with no stochastic layer): bars again.
        std::vector<float> same;
        for (int t = 0; t < 30; ++t) {
            same.insert(same.end(), one.begin(), one.end());
        }
        ImageResult agreeing = resultOf(2, summarizeSamples(same.data(), 30, 5), 3);
        view.showImage(entry, &agreeing);
        QCOMPARE(view.shownPlot(), static_cast<ExportablePlot*>(bars));
        QVERIFY2(bars->key().startsWith("All 30 samples"), qPrintable(bars->key()));

        // A failed image: the message, in the histograms' place.
        ImageResult failed;
        failed.error = "cannot decode";
        view.showImage(entry, &failed);
        QCOMPARE(view.shownPlot(), static_cast<ExportablePlot*>(view.histograms()));
    }

    // More classes than bars: the likeliest, sorted, and the true class in the last row.
    void manyClassesShowTheLikeliestAndTheTrueClass() {
        constexpr int kMany = 40;
        QStringList classes;
        std::vector<float> probs(kMany);
        float total = 0;
        for (int c = 0; c < kMany; ++c) {
            classes << QString("class %1").arg(c);
            total += probs[std::size_t(c)] = float(c + 1);
        }
        for (float& p : probs) {
            p /= total;
        }
        ClassProbabilityPlot plot;
        plot.resize(700, 600);
        plot.setMaxBars(10);
        plot.showSummary(summarizeSamples(probs.data(), 1, kMany), classes, {}, 2);
        QCOMPARE(plot.shownClasses(), (std::vector<int>{39, 38, 37, 36, 35, 34, 33, 32, 31, 2}));
        QCOMPARE(plot.predictedRow(), 0);
        QCOMPARE(plot.trueClassRow(), 9);
        QVERIFY2(plot.key().endsWith("The likeliest 9 of 40 classes, and the true class"),
                 qPrintable(plot.key()));
    }
};

QTEST_MAIN(PlotReadabilityTest)
#include "PlotReadabilityTest.moc"
