#include <QScrollArea>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <array>
#include <numeric>

#include "UiTestSupport.h"
#include "analysis/GammaSweep.h"
#include "data/FolderScan.h"
#include "model/ModelBundle.h"
#include "model/ResultsFilterModel.h"
#include "model/ResultsModel.h"
#include "plots/ClassHistogramsPlot.h"
#include "plots/ClassProbabilityPlot.h"
#include "plots/GammaCurvesPlot.h"
#include "plots/GroupBoxPlot.h"
#include "plots/ReliabilityPlot.h"
#include "plots/RiskCoveragePlot.h"
#include "plots/RocPlot.h"
#include "plots/ScoreCurvePlot.h"
#include "views/BrowserView.h"
#include "views/CalibrationView.h"
#include "views/ConformalView.h"
#include "views/GammaSweepView.h"
#include "views/MainWindow.h"
#include "views/OodView.h"
#include "views/RankBreakdownView.h"
#include "views/RunToolbar.h"
#include "views/ThresholdsView.h"

using namespace ue;
using namespace ue::ui;

namespace {
const QString kModel = UE_SOURCE_DIR "/models/fmnist-mc-cnn.pt";
const QString kBags = UE_SOURCE_DIR "/resources/samples/fashion-mnist/Bag";
const QString kDigits = UE_SOURCE_DIR "/resources/samples/ood-digits";
const QString kValidationBags = UE_SOURCE_DIR "/resources/samples/fashion-mnist-val/Bag";

// AUROC by its definition: the chance that a random OOD image scores above a random
// in-distribution one, ties counting half. O(n·m), independent of the core's sort-based version.
double pairwiseAuroc(const std::vector<double>& in, const std::vector<double>& out) {
    double wins = 0;
    for (double o : out) {
        for (double i : in) {
            wins += o > i ? 1.0 : (o == i ? 0.5 : 0.0);
        }
    }
    return wins / (double(in.size()) * double(out.size()));
}

int lineCount(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly)
               ? int(QString::fromUtf8(file.readAll()).split("\r\n", Qt::SkipEmptyParts).size())
               : -1;
}
}  // namespace

class AnalysisViewsTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void sweepFromTheWindowShowsWhatTheCoreComputes() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kBags}, Method::Deterministic, 1, 0));
        const int row = 3;
        window.browser()->selectSourceRow(row);

        const QVector<double> gammas = {0.5, 1.0, 2.0};
        QSignalSpy swept(&window, &MainWindow::gammaSweepFinished);
        window.startGammaSweep(gammas);
        window.startGammaSweep(gammas);  // refused while the first runs
        QVERIFY(swept.wait(120000));
        QCOMPARE(swept.count(), 1);
        GammaSweepView* view = window.gammaSweep();
        const GammaSweepData& data = view->data();
        QCOMPARE(data.imageCount(), 30);

        // The same sweep straight from the core.
        const auto bundle = ModelBundle::load(kModel.toStdString());
        const auto scan = scanInputs({kBags.toStdString()}, bundle.meta().classes);
        RunOptions options;
        options.method = Method::Deterministic;
        options.threads = 1;
        GammaSweepAccumulator expected({0.5, 1.0, 2.0});
        McEngine engine(bundle);
        runGammaSweep(engine, bundle, scan.images, {0.5, 1.0, 2.0}, options,
                      [&](GammaResult&& r) { expected.add(r); });
        const auto points = expected.result();

        GammaCurvesPlot* setPlot = view->setCurves();
        QCOMPARE(setPlot->curveCount(), 5);
        const QVector<double> accuracy = setPlot->curveValues(0);
        const QVector<double> entropy = setPlot->curveValues(3);
        QCOMPARE(accuracy.size(), 3);
        for (int g = 0; g < 3; ++g) {
            QCOMPARE(accuracy[g], points[g].metrics.accuracy);
            QVERIFY(qAbs(entropy[g] - points[g].metrics.meanPredictiveEntropy) < 1e-9);
        }

        // The selected image: its curves, its strip and its histograms at the picked γ.
        const QString path = QString::fromStdString(window.results()->entry(row).path);
        const int index = data.indexOf(path);
        QVERIFY(index >= 0);
        const auto& image = data.image(index);
        QCOMPARE(view->imageCurves()->curveCount(), 4);
        const QVector<double> trueClass = view->imageCurves()->curveValues(0);
        for (int g = 0; g < 3; ++g) {
            QCOMPARE(trueClass[g], double(image.atGamma[g].mean[std::size_t(image.label)]));
        }
        QCOMPARE(view->previewCount(), 3);
        view->pickGamma(2);
        // One pass per image: the class probabilities as bars, not one-sample histograms.
        QVERIFY(view->showsProbabilities());
        const ImageSummary& atTwo = image.atGamma[2];
        const ClassProbabilityPlot* bars = view->probabilities();
        QCOMPARE(bars->shownClasses().size(), std::size_t(10));
        const QVector<double> values = bars->barValues();
        for (std::size_t i = 0; i < bars->shownClasses().size(); ++i) {
            QCOMPARE(values[int(i)], double(atTwo.mean[std::size_t(bars->shownClasses()[i])]));
        }
        QCOMPARE(bars->trueClassRow() >= 0, true);

        QTemporaryDir dir;
        QVERIFY(data.writeSetCsv(dir.filePath("sweep.csv")).isEmpty());
        QCOMPARE(lineCount(dir.filePath("sweep.csv")), 1 + 3);
        QVERIFY(data.writePerImageCsv(dir.filePath("images.csv")).isEmpty());
        QCOMPARE(lineCount(dir.filePath("images.csv")), 1 + 30 * 3);
    }

    // Between the window's docks the tab is about 690 px wide. A dozen γ thumbnails, the
    // histograms' key line and the two curve plots side by side each held the page wider, and it
    // scrolled sideways: now the thumbnails scroll in their own strip, the plots stack.
    void sweepPageFitsANarrowTab() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kBags}, Method::McDropout, 10, 0));
        window.browser()->selectSourceRow(0);
        QSignalSpy swept(&window, &MainWindow::gammaSweepFinished);
        QVector<double> gammas;
        for (int g = 0; g < 12; ++g) {
            gammas.push_back(0.25 * (g + 1));
        }
        window.startGammaSweep(gammas);
        QVERIFY(swept.wait(120000));
        GammaSweepView* view = window.gammaSweep();
        QCOMPARE(view->previewCount(), 12);
        QVERIFY(!view->showsProbabilities());  // the histograms, with their key
        QVERIFY2(view->minimumSizeHint().width() <= 660,
                 qPrintable(QString::number(view->minimumSizeHint().width())));
        auto* strip = view->findChild<QScrollArea*>();
        QVERIFY(strip);
        QVERIFY(strip->height() >= strip->widget()->sizeHint().height());
    }

    void calibrationViewLinksRejectedImagesToTheBrowser() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {UE_SOURCE_DIR "/resources/samples/fashion-mnist"},
                                    Method::McDropout, 20, 0));
        CalibrationView* view = window.calibration();
        view->refresh();
        QCOMPARE(view->accumulator().labelled(), std::size_t(300));
        QVERIFY(view->reliability()->drawnBins() > 3);
        // Every labelled image is in one bin's count.
        const auto counts = view->reliability()->shownCounts();
        QCOMPARE(int(counts.size()), view->reliability()->drawnBins());
        QCOMPARE(std::accumulate(counts.begin(), counts.end(), std::size_t(0)), std::size_t(300));
        QCOMPARE(view->riskCoverage()->curveCount(), int(allScores().size()));

        // The same numbers from the window's own results, computed here.
        CalibrationAccumulator expected;
        std::vector<std::pair<double, int>> byConfidence;  // (-max prob, row), stable order
        for (int row = 0; row < 300; ++row) {
            const ImageResult* r = window.results()->result(row);
            expected.add(r->summary, r->label);
            byConfidence.push_back({-r->summary.maxProbability, row});
        }
        QCOMPARE(view->accumulator().calibration().eceEqualMass,
                 expected.calibration().eceEqualMass);

        // Keep 80 %: the 60 least confident by max probability go to the browser.
        QSignalSpy chosen(view, &CalibrationView::rowsChosen);
        view->rejectAt(0.8);
        QCOMPARE(chosen.count(), 1);
        std::stable_sort(byConfidence.begin(), byConfidence.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        QSet<int> rejected;
        for (int k = 240; k < 300; ++k) {
            rejected.insert(byConfidence[k].second);
        }
        QCOMPARE(chosen.front().front().value<QSet<int>>(), rejected);
        QCOMPARE(window.browser()->filter()->rowCount(), 60);
        QVERIFY(window.browser()->filter()->hasRowSubset());
        window.browser()->showAllRows();
        QCOMPARE(window.browser()->filter()->rowCount(), 300);
    }

    void oodRunFromTheWindowScoresBothSets() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kBags}, Method::McDropout, 12, 3));
        OodView* view = window.ood();
        QVERIFY(view->detections().empty());  // nothing to compare with yet

        QSignalSpy scored(&window, &MainWindow::oodRunFinished);
        window.startOodRun({kDigits});
        QVERIFY(scored.wait(120000));
        QCOMPARE(view->outSummaries().size(), std::size_t(100));
        QCOMPARE(window.results()->rowCount(), 30);  // the in-distribution results stay
        QCOMPARE(view->detections().size(), allScores().size());
        QCOMPARE(view->table()->rowCount(), int(allScores().size()));
        QCOMPARE(view->roc()->curveCount(), int(allScores().size()));

        std::vector<double> inMi, outMi, inMaxProb, outMaxProb;
        for (int row = 0; row < 30; ++row) {
            const ImageSummary& s = window.results()->result(row)->summary;
            inMi.push_back(s.mutualInformation);
            inMaxProb.push_back(-s.maxProbability);  // lower max probability = more uncertain
        }
        for (const ImageSummary& s : view->outSummaries()) {
            outMi.push_back(s.mutualInformation);
            outMaxProb.push_back(-s.maxProbability);
        }
        for (const OodDetection& d : view->detections()) {
            if (d.score == Score::MutualInformation) {
                QVERIFY(std::abs(d.auroc - pairwiseAuroc(inMi, outMi)) < 1e-12);
            } else if (d.score == Score::MaxProbability) {
                QVERIFY(std::abs(d.auroc - pairwiseAuroc(inMaxProb, outMaxProb)) < 1e-12);
            }
            QCOMPARE(d.inImages, std::size_t(30));
            QCOMPARE(d.outImages, std::size_t(100));
        }
        // Best first, and the table shows the same numbers; the plots show the best score.
        QVERIFY(view->detections().front().auroc >= view->detections().back().auroc);
        QCOMPARE(view->chosenScore(), view->detections().front().score);
        QCOMPARE(view->table()->item(0, 1)->text(),
                 QString::number(view->detections().front().auroc, 'f', 4));
        // Both histograms are shares of their own set.
        for (int set : {0, 1}) {
            double total = 0;
            for (double share : view->histograms()->shares(set)) {
                total += share;
            }
            QVERIFY(std::abs(total - 1.0) < 1e-9);
        }

        QTemporaryDir dir;
        const QString csv = dir.filePath("ood.csv");
        QCOMPARE(view->writeReportCsv(csv), QString());
        QCOMPARE(lineCount(csv), 1 + int(allScores().size()));

        // A new model makes the OOD scores stale: they go.
        QSignalSpy ready(&window, &MainWindow::modelReady);
        window.openModel(kModel);
        QVERIFY(ready.wait(30000));
        QVERIFY(view->outSummaries().empty());
        QVERIFY(view->detections().empty());
    }

    // A deterministic pass gives every image a mutual information and a variation ratio of 0:
    // those scores cannot tell the sets apart. They are greyed with a tooltip that says why,
    // and the plots show the best score, not the default (mutual information).
    void oodScoresThatNeverVaryAreMarked() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kBags}, Method::Deterministic, 1, 0));
        QSignalSpy scored(&window, &MainWindow::oodRunFinished);
        window.startOodRun({kDigits});
        QVERIFY(scored.wait(120000));
        OodView* view = window.ood();
        QVERIFY(view->chosenScore() != Score::MutualInformation);
        QCOMPARE(view->chosenScore(), view->detections().front().score);
        int marked = 0;
        for (int row = 0; row < view->table()->rowCount(); ++row) {
            const Score score = view->detections()[std::size_t(row)].score;
            const bool constant =
                score == Score::MutualInformation || score == Score::VariationRatio;
            const QString tip = view->table()->item(row, 1)->toolTip();
            QCOMPARE(tip.contains("The same value for every image"), constant);
            marked += constant;
        }
        QCOMPARE(marked, 2);
    }

    void oodRunFailureIsReported() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kBags}, Method::Deterministic, 1, 0));
        QSignalSpy finished(&window, &MainWindow::runFinished);
        QTemporaryDir empty;
        QSignalSpy scored(&window, &MainWindow::oodRunFinished);
        window.startOodRun({empty.path()});
        QVERIFY(scored.wait(30000));
        QCOMPARE(finished.count(), 0);  // the main run's listeners hear nothing
        QVERIFY(!window.session()->isRunning());
        QVERIFY(window.ood()->detections().empty());
    }

    void rankBreakdownGroupsTheImagesAndShowsThemInTheBrowser() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {UE_SOURCE_DIR "/resources/samples/fashion-mnist"},
                                    Method::McDropout, 20, 1));
        RankBreakdownView* view = window.rankBreakdown();
        view->refresh();
        // The rank counted here: classes strictly more probable, or as probable and earlier.
        std::array<int, 3> counts{};
        std::array<double, 3> entropy{};
        for (int row = 0; row < 300; ++row) {
            const ImageResult* r = window.results()->result(row);
            const auto& p = r->summary.mean;
            int rank = 1;
            for (int c = 0; c < int(p.size()); ++c) {
                rank += p[c] > p[r->label] || (p[c] == p[r->label] && c < r->label);
            }
            const int group = std::min(rank, 3) - 1;
            ++counts[group];
            entropy[group] += r->summary.predictiveEntropy;
        }
        QCOMPARE(counts[0] + counts[1] + counts[2], 300);
        for (int group = 0; group < 3; ++group) {
            QCOMPARE(view->breakdown().count(group), std::size_t(counts[group]));
            QCOMPARE(view->table()->item(group, 1)->text(), QString::number(counts[group]));
            if (counts[group] > 0) {
                QVERIFY(std::abs(view->breakdown().mean(group, Score::PredictiveEntropy) -
                                 entropy[group] / counts[group]) < 1e-12);
            }
        }
        QCOMPARE(view->boxes()->boxCount(), int(counts[1] > 0) + int(counts[2] > 0) + 1);
        QSignalSpy chosen(view, &RankBreakdownView::rowsChosen);
        view->chooseGroup(1);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(window.browser()->filter()->rowCount(), counts[1]);
        window.browser()->showAllRows();
        QCOMPARE(window.browser()->filter()->rowCount(), 300);
    }

    // Under the ranking's thumbnails the score curve is short: a long score name is elided to
    // the axis's height (it ran off the plot's top), whole in the tooltip, and whole again when
    // there is room.
    void scoreCurveFitsItsScoreNameToTheAxis() {
        ScoreCurvePlot plot;
        plot.resize(450, 150);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        const QString name = "predictive entropy (total)";
        plot.setCurve({1.5, 1.0, 0.2}, name, 2);
        plot.replot();
        const QFontMetrics metrics(plot.yAxis->labelFont());
        qInfo("label %s: %d px on an axis of %d px", qPrintable(plot.yAxis->label()),
              metrics.horizontalAdvance(plot.yAxis->label()), plot.axisRect()->height());
        QVERIFY(plot.yAxis->label() != name);
        QVERIFY(metrics.horizontalAdvance(plot.yAxis->label()) <= plot.axisRect()->height());
        QCOMPARE(plot.toolTip(), name);
        plot.resize(450, 400);
        QTRY_COMPARE(plot.yAxis->label(), name);
    }

    // Calibrating on the images whose coverage is measured makes the coverage optimistic: the
    // Conformal tab says so when the validation folder holds some of the run's images, however
    // the folder was spelt, and says nothing when the two are disjoint.
    // The validation run calibrates both the thresholds and conformal prediction.
    void conformalAndThresholdsWarnWhenTestImagesWereCalibrationImages() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kBags, kValidationBags}, Method::Deterministic, 1, 0));
        QCOMPARE(window.results()->rowCount(), 30 + 50);
        ConformalView* conformal = window.conformal();
        const QLabel* warning = conformal->overlapWarning();
        QVERIFY(!warning->isVisibleTo(conformal));  // not calibrated yet
        auto validateOn = [&](const QString& folder) {
            QSignalSpy validated(&window, &MainWindow::validationRunFinished);
            window.startValidationRun({folder});
            return validated.wait(120000);
        };

        QVERIFY(validateOn(UE_SOURCE_DIR "/resources/samples/./fashion-mnist-val//Bag/"));
        QCOMPARE(conformal->calibrationImages(), std::size_t(50));
        QCOMPARE(conformal->evaluatedCalibrationImages(), std::size_t(50));
        QVERIFY(warning->isVisibleTo(conformal));
        const QString expected =
            "Warning: 50 of the 80 test images are also validation images: their coverage is "
            "optimistic (calibrate and test on disjoint images)";
        QCOMPARE(shownText(*warning), expected);
        // Another α is the same images.
        conformal->setAlpha(0.2);
        QVERIFY(warning->isVisibleTo(conformal));
        QCOMPARE(shownText(*warning), expected);
        ThresholdsView* thresholds = window.thresholdStudy();
        const QLabel* thresholdsWarning = thresholds->overlapWarning();
        QVERIFY(thresholdsWarning->isVisibleTo(thresholds));
        QCOMPARE(shownText(*thresholdsWarning),
                 QString("Warning: 50 of the 80 test images are also validation images: their "
                         "accuracy under the rule is optimistic (calibrate and test on disjoint "
                         "images)"));
        thresholds->setPercentile(20);
        QVERIFY(thresholdsWarning->isVisibleTo(thresholds));
        // The same thresholds loaded from a file: it names no images, so nothing to warn about
        // (the warning of the validation run used to stay up).
        QTemporaryDir dir;
        const QString saved = dir.filePath("thresholds.json");
        QCOMPARE(thresholds->saveJson(saved), QString());
        QCOMPARE(thresholds->loadJson(saved), QString());
        QVERIFY(!thresholdsWarning->isVisibleTo(thresholds));
        QVERIFY(warning->isVisibleTo(conformal));  // conformal keeps its calibration
        // A validation run over the same bags again: the warning is back, recounted.
        QVERIFY(validateOn(UE_SOURCE_DIR "/resources/samples/fashion-mnist-val/Bag"));
        QVERIFY(thresholdsWarning->isVisibleTo(thresholds));

        // Disjoint: the validation set's coats are none of the run's images.
        QVERIFY(validateOn(UE_SOURCE_DIR "/resources/samples/fashion-mnist-val/Coat"));
        QCOMPARE(conformal->calibrationImages(), std::size_t(50));
        QCOMPARE(conformal->evaluatedCalibrationImages(), std::size_t(0));
        QVERIFY(!warning->isVisibleTo(conformal));
        QVERIFY(!thresholdsWarning->isVisibleTo(thresholds));
    }

    void cancelledSweepKeepsWhatFinished() {
        MainWindow window;
        window.show();
        QSignalSpy ready(&window, &MainWindow::modelReady);
        window.openModel(kModel);
        QVERIFY(ready.wait(30000));
        window.setInputs({UE_SOURCE_DIR "/resources/samples/fashion-mnist"});
        QSignalSpy swept(&window, &MainWindow::gammaSweepFinished);
        QSignalSpy progressed(window.session()->worker(), &InferenceWorker::progressed);
        window.startGammaSweep({0.3, 0.5, 1.0, 2.0, 3.0});
        QVERIFY(progressed.wait(60000));
        window.cancelRun();
        QVERIFY(swept.wait(60000));
        const int images = window.gammaSweep()->data().imageCount();
        QVERIFY(images > 0);
        QVERIFY(images < 300);
        QVERIFY(!window.session()->isRunning());
    }
};

QTEST_MAIN(AnalysisViewsTest)
#include "AnalysisViewsTest.moc"
