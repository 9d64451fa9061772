// What the analysis widgets draw at the edges of their data: long class names in the ranking's
// tiles, classes without test images in the threshold study, a lopsided uncertainty split, and
// the inspector's histograms for ensembles and for a single deterministic pass, and the score
// pickers, which offer logit variance for a heteroscedastic model only.
#include <QComboBox>
#include <QFontMetrics>
#include <QListWidget>
#include <QPushButton>
#include <QtTest>

#include "UiTestSupport.h"
#include "metrics/ImageSummary.h"
#include "model/ImageListing.h"
#include "model/ResultsModel.h"
#include "model/ThumbnailCache.h"
#include "plots/ClassHistogramsPlot.h"
#include "plots/RiskCoveragePlot.h"
#include "plots/UncertaintySplitBar.h"
#include "views/CalibrationView.h"
#include "views/OodView.h"
#include "views/RankBreakdownView.h"
#include "views/RankingView.h"
#include "views/ThresholdStudyTable.h"

using namespace ue;
using namespace ue::ui;

namespace {
const QString kShirts = UE_SOURCE_DIR "/resources/samples/fashion-mnist/Shirt/";

// An image's result from `samples` rows of probabilities over the classes.
ImageResult resultOf(std::size_t index, const std::string& path, int label,
                     const std::vector<float>& samples, int classes) {
    ImageResult result;
    result.index = index;
    result.path = path;
    result.label = label;
    result.ok = true;
    result.summary = summarizeSamples(samples.data(), int(samples.size()) / classes, classes);
    return result;
}
}  // namespace

class ViewTextTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // The most uncertain demo image is a Shirt taken for a "T-shirt/top": its tile read
    // "1.652 / T-shirt/t…", the "✗" elided away with the name's end, so the most important
    // tile looked right. Only the name is cut; the score and the mark stay whole.
    void aRankingTileKeepsItsWrongMarkBesideALongName() {
        const QStringList classes = {"T-shirt/top", "Shirt",
                                     "a rather long class name for category number 3"};
        std::vector<ImageEntry> entries;
        ResultBatch batch;
        // (label, predicted): wrong with a long name, wrong with a middling one, wrong with a
        // short one, right with a long one; less and less uncertain in that order.
        const std::vector<std::pair<int, int>> cases = {{1, 2}, {1, 0}, {0, 1}, {2, 2}};
        const QStringList files = {"00004.png", "00007.png", "00026.png", "00286.png"};
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const std::string path = (kShirts + files[int(i)]).toStdString();
            entries.push_back({path, cases[i].first, files[int(i)].toStdString()});
            const float top = 0.5f + 0.1f * float(i);
            std::vector<float> probs(3, (1.0f - top) / 2);
            probs[std::size_t(cases[i].second)] = top;
            batch << resultOf(i, path, cases[i].first, probs, 3);
        }
        ThumbnailCache thumbnails(64);
        ResultsModel results(&thumbnails);
        results.setClasses(classes);
        results.setImages(ImageListing::make(entries));
        results.addResults(batch);

        RankingView view(&results, &thumbnails);
        view.resize(480, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setScore(Score::PredictiveEntropy);
        view.refresh();
        QCOMPARE(view.shownRows(), (std::vector<int>{0, 1, 2, 3}));

        const QListWidget* grid = view.grid();
        const QFontMetrics metrics(grid->font());
        // The text room in a tile: its width less the margins the style keeps either side.
        const int room =
            grid->visualItemRect(grid->item(0)).width() -
            2 * (grid->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, grid) + 1);
        for (int i = 0; i < grid->count(); ++i) {
            const QString caption = view.tileCaption(i);
            const QStringList lines = caption.split('\n');
            qInfo("tile %d: %s (%d px of %d)", i, qPrintable(QString(caption).replace('\n', " / ")),
                  metrics.horizontalAdvance(lines.value(1)), room);
            QCOMPARE(lines.size(), 2);
            const ImageResult* r = results.result(view.shownRows()[std::size_t(i)]);
            QCOMPARE(lines[0], QString::number(r->summary.predictiveEntropy, 'f', 3));
            const bool wrong = cases[std::size_t(i)].first != cases[std::size_t(i)].second;
            QCOMPARE(lines[1].endsWith(" ✗"), wrong);
            // The line fits its tile, so Qt draws it as it is and cuts nothing more.
            QVERIFY2(metrics.horizontalAdvance(lines[1]) <= room, qPrintable(lines[1]));
            const QString name = classes[cases[std::size_t(i)].second];
            QString shownName = wrong ? lines[1].chopped(2) : lines[1];
            if (shownName != name) {
                QVERIFY2(shownName.endsWith(QChar(0x2026)), qPrintable(shownName));
                shownName.chop(1);
                QVERIFY2(!shownName.isEmpty() && name.startsWith(shownName), qPrintable(shownName));
            }
        }
        // The long name is cut; the short one is whole.
        QVERIFY(view.tileCaption(0).endsWith(QChar(0x2026) + QString(" ✗")));
        QVERIFY(view.tileCaption(0).split('\n')[1].startsWith("a rather"));
        QCOMPARE(view.tileCaption(2).split('\n')[1], "Shirt ✗");
        // Whole in the item's own text (what a screen reader reads).
        QVERIFY(grid->item(0)->text().endsWith(classes[2] + " ✗"));

        // A new run's listing: the grid is another run's no more, and nothing is left to
        // export (the export used to write the old rows' order with the new results).
        const auto* exportButton = view.findChild<QPushButton*>();
        QVERIFY(exportButton && exportButton->isEnabled());
        results.setImages(ImageListing::make(entries));
        QVERIFY(view.shownRows().empty());
        QCOMPARE(view.grid()->count(), 0);
        QVERIFY(!exportButton->isEnabled());
    }

    // A class without test images (or the "all" row of a run with nothing labelled) has no
    // accuracy and no coverage: its rate cells read "–" like the "after" cell, not "0.0%".
    void aRateOverNoImagesIsADash() {
        const QStringList classes = {"Coat", "Shirt"};
        ClassThresholds current;
        current.thresholds = {0.6f, 0.7f};
        current.support = {40, 0};
        ThresholdStudy study;
        study.perClass.resize(2);
        study.perClass[0] = {4, 3, 2, 1};  // 4 images, 3 right, 2 covered, 1 of them right
        study.overall = study.perClass[0];
        ThresholdStudyTable table;
        table.showStudy(study, classes, current);
        QCOMPARE(table.rowCount(), 3);
        const auto row = [&](int r) {
            QStringList cells;
            for (int column = 3; column < table.columnCount(); ++column) {
                cells << table.item(r, column)->text();
            }
            return cells;
        };
        QCOMPARE(row(0), (QStringList{"4", "75.0%", "50.0%", "50.0%"}));
        QCOMPARE(row(1), (QStringList{"0", "–", "–", "–"}));
        QCOMPARE(row(2), (QStringList{"4", "75.0%", "50.0%", "50.0%"}));

        // Nothing labelled: every rate is "–", the "all" row's too.
        table.showStudy(ThresholdStudy{{{}, {}}, {}}, classes, current);
        for (int r = 0; r < 3; ++r) {
            QCOMPARE(row(r), (QStringList{"0", "–", "–", "–"}));
        }
        // Covered images all wrong is a real 0.0%.
        study.perClass[1] = {2, 0, 1, 0};
        table.showStudy(study, classes, current);
        QCOMPARE(row(1), (QStringList{"2", "0.0%", "50.0%", "0.0%"}));
    }

    // The split bar's two captions ran into each other whenever one share was near 100 %
    // ("aleatoric 1.085 (100%)epistemic 0.000 (0%)" under a deterministic run): they keep a gap
    // at any split and width, and stay inside the widget.
    void theSplitBarsCaptionsNeverRunTogether() {
        UncertaintySplitBar bar;
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        const QFontMetricsF metrics(bar.captionFont());
        const double gap = metrics.horizontalAdvance(QStringLiteral("M"));
        const std::vector<std::pair<double, double>> splits = {
            {1.085, 0.0}, {0.0, 1.2}, {0.5, 0.5}, {1.290, 0.292}, {2.3, 0.0001}, {0, 0}};
        for (int width : {120, 224, 400}) {
            bar.setFixedWidth(width);
            bar.setFixedHeight(bar.sizeHint().height());
            for (const auto& [aleatoric, epistemic] : splits) {
                bar.setSplit(aleatoric, epistemic, 10);
                const auto [a, e] = bar.captions();
                const QString what = QString(
                                         "%1 px, %2 + %3: \"%4\" at %5,%6 %7 wide; \"%8\" "
                                         "at %9,%10 %11 wide")
                                         .arg(width)
                                         .arg(aleatoric)
                                         .arg(epistemic)
                                         .arg(a.text)
                                         .arg(a.rect.x())
                                         .arg(a.rect.y())
                                         .arg(a.rect.width())
                                         .arg(e.text)
                                         .arg(e.rect.x())
                                         .arg(e.rect.y())
                                         .arg(e.rect.width());
                QVERIFY2(a.text.startsWith("ale") && e.text.startsWith("epi"), qPrintable(what));
                QVERIFY2(QRectF(bar.rect()).contains(a.rect), qPrintable(what));
                QVERIFY2(QRectF(bar.rect()).contains(e.rect), qPrintable(what));
                QVERIFY2(a.rect.width() >= metrics.horizontalAdvance(a.text) - 0.5,
                         qPrintable(what));
                QVERIFY2(e.rect.width() >= metrics.horizontalAdvance(e.text) - 0.5,
                         qPrintable(what));
                const bool sameLine = a.rect.top() == e.rect.top();
                if (sameLine) {
                    QVERIFY2(e.rect.left() - a.rect.right() >= gap - 0.5, qPrintable(what));
                } else {
                    QVERIFY2(e.rect.top() >= a.rect.bottom() - 0.5, qPrintable(what));
                }
                // Whole wherever the widget is wide enough for the text.
                const QString full = QString("aleatoric %1").arg(aleatoric, 0, 'f', 3);
                if (width >= 224) {
                    QVERIFY2(a.text.startsWith(full + " ("), qPrintable(what));
                    QVERIFY2(e.text.startsWith(QString("epistemic %1 (").arg(epistemic, 0, 'f', 3)),
                             qPrintable(what));
                }
            }
        }
        // The reviewer's case: a deterministic run, all aleatoric, at the inspector's width.
        bar.setFixedWidth(224);
        bar.setSplit(1.085, 0.0, 10);
        const auto [a, e] = bar.captions();
        QCOMPARE(a.text, "aleatoric 1.085 (100%)");
        QCOMPARE(e.text, "epistemic 0.000 (0%)");
        QVERIFY(!a.rect.intersects(e.rect));
        QVERIFY(a.rect.right() + gap <= e.rect.left() + 0.5 || a.rect.bottom() <= e.rect.top());
    }

    // The histograms are of samples: T passes, but also ensemble members (x T) or augmented
    // copies. The y axis said "share of passes" beside a key that said "Share of the 150
    // samples"; both say samples now. With one sample (a deterministic pass) the key spoke of
    // "the 1 samples" and shaded a 10-90 % band that a single value does not have.
    void theHistogramsSpeakOfSamplesAndShadeNoBandForOne() {
        const QStringList classes = {"a", "b", "c"};
        const auto keyOf = [](const ClassHistogramsPlot& plot) {
            auto* key = qobject_cast<QCPTextElement*>(plot.plotLayout()->element(0, 0));
            return key ? key->text() : QString();
        };
        // The labels of the panels' y axes (the first column's; the others have none).
        const auto yLabelsOf = [](const ClassHistogramsPlot& plot) {
            QSet<QString> labels;
            for (QCPAxisRect* rect : plot.axisRects()) {
                labels << rect->axis(QCPAxis::atLeft)->label();
            }
            labels.remove(QString());
            return labels;
        };
        const auto bandsOf = [](const ClassHistogramsPlot& plot) {
            int bands = 0;
            for (int i = 0; i < plot.itemCount(); ++i) {
                bands += qobject_cast<QCPItemRect*>(plot.item(i)) != nullptr;
            }
            return bands;
        };
        ClassHistogramsPlot plot;
        plot.resize(700, 400);

        // 150 samples, as 5 ensemble members x 30 passes give.
        std::vector<float> many;
        for (int t = 0; t < 150; ++t) {
            const float a = 0.3f + 0.4f * float(t % 10) / 10;
            many.insert(many.end(), {a, (1 - a) / 2, (1 - a) / 2});
        }
        plot.showSummary(summarizeSamples(many.data(), 150, 3), classes);
        QVERIFY2(keyOf(plot).startsWith("Share of the 150 samples per bin · shaded: 10–90 %"),
                 qPrintable(keyOf(plot)));
        QCOMPARE(yLabelsOf(plot), QSet<QString>{"share of samples"});
        QCOMPARE(bandsOf(plot), 3);
        QVERIFY(plot.binToolTip(0, 5).contains(" of 150 samples ("));
        QVERIFY(plot.binToolTip(0, 5).contains("10–90 %"));

        // One deterministic pass.
        const std::vector<float> one = {0.6f, 0.3f, 0.1f};
        plot.showSummary(summarizeSamples(one.data(), 1, 3), classes);
        QVERIFY2(keyOf(plot).startsWith("Share of the 1 sample per bin"), qPrintable(keyOf(plot)));
        QVERIFY2(!keyOf(plot).contains("10–90"), qPrintable(keyOf(plot)));
        QCOMPARE(yLabelsOf(plot), QSet<QString>{"share of samples"});
        QCOMPARE(bandsOf(plot), 0);
        const ImageSummary s = summarizeSamples(one.data(), 1, 3);
        const int bin = std::min(s.histogramBins - 1, int(0.6 * s.histogramBins));
        const QString tip = plot.binToolTip(0, bin);
        QVERIFY2(tip.contains("1 of 1 sample<br>p = 0.600"), qPrintable(tip));
        QVERIFY2(!tip.contains("samples") && !tip.contains("10–90"), qPrintable(tip));
        // The bars are still there: the pass's bin is full height.
        QCOMPARE(plot.barShares(0)[bin], 1.0);
    }

    // With more classes than panels the top ten by mean are shown; a misclassified image's
    // true class is rarely among them, and its probability is what the reader looks for. It
    // takes the last panel, named as the true class, and the key says what is shown.
    void theTrueClassIsShownAmongTheTopClasses() {
        constexpr int kClasses = 20;
        QStringList classes;
        for (int c = 0; c < kClasses; ++c) {
            classes << QString("class %1").arg(c);
        }
        // Class c's mean grows with c: the top ten are 19 down to 10; class 2 is the truth.
        std::vector<float> probs(kClasses);
        float total = 0;
        for (int c = 0; c < kClasses; ++c) {
            total += probs[std::size_t(c)] = float(c + 1);
        }
        for (float& p : probs) {
            p /= total;
        }
        const ImageSummary summary = summarizeSamples(probs.data(), 1, kClasses);
        ClassHistogramsPlot plot;
        plot.resize(900, 500);
        const auto keyOf = [&plot] {
            return qobject_cast<QCPTextElement*>(plot.plotLayout()->element(0, 0))->text();
        };

        plot.showSummary(summary, classes, {}, 2);
        QCOMPARE(plot.shownClasses(), (std::vector<int>{19, 18, 17, 16, 15, 14, 13, 12, 11, 2}));
        QVERIFY2(plot.titleOf(9).startsWith("class 2 (true class)\n"), qPrintable(plot.titleOf(9)));
        QVERIFY2(keyOf().endsWith("\nThe top 9 of 20 classes by mean, and the true class"),
                 qPrintable(keyOf()));
        // A long name is cut, never the mark.
        classes[2] = "a true class whose name is far too long for its panel";
        plot.showSummary(summary, classes, {}, 2);
        const QString title = plot.titleOf(9).section('\n', 0, 0);
        QVERIFY2(title.startsWith("a true class") &&
                     title.endsWith(QString(QChar(0x2026)) + " (true class)"),
                 qPrintable(title));
        classes[2] = "class 2";

        // A true class already among the top ten, or none: the top ten by mean.
        for (int trueClass : {15, int(kNoLabel)}) {
            plot.showSummary(summary, classes, {}, trueClass);
            QCOMPARE(plot.shownClasses().back(), 10);
            QVERIFY(!plot.titleOf(9).contains("true"));
            QVERIFY2(keyOf().endsWith("\nThe top 10 of 20 classes by mean"), qPrintable(keyOf()));
        }
    }
    // A heteroscedastic model predicts its own logit variance: a score in every picker, a curve
    // on the risk-coverage plot. Any other model's images all have 0 there (ties, AUROC 0.5), so
    // the next model's pickers drop it and fall back to their default.
    void scorePickersOfferLogitVarianceOnlyForAHeteroscedasticModel() {
        MainWindow window;
        window.show();
        const QList<QComboBox*> boxes = {window.ranking()->scoreBox(),
                                         window.calibration()->scoreBox(), window.ood()->scoreBox(),
                                         window.rankBreakdown()->scoreBox()};
        QVERIFY(runDemoToCompletion(window, {kShirts.chopped(1)}, Method::Deterministic, 1, 0,
                                    UE_SOURCE_DIR "/models/fmnist-hetero-cnn.pt"));
        for (QComboBox* box : boxes) {
            const int item = box->findData(int(Score::LogitVariance));
            QVERIFY(item >= 0);
            QVERIFY(box->itemText(item).startsWith("logit variance"));
            QCOMPARE(box->count(), 7);
        }
        QCOMPARE(window.calibration()->riskCoverage()->curveCount(), 7);
        window.ranking()->setScore(Score::LogitVariance);
        const std::vector<int>& shown = window.ranking()->shownRows();
        QVERIFY(shown.size() >= 2);
        const auto variance = [&](int row) {
            return window.results()->result(row)->summary.logitVariance;
        };
        QVERIFY(variance(shown.back()) > 0);
        QVERIFY(variance(shown.front()) > variance(shown.back()));
        // The true-rank table gains a column of the groups' mean logit variance.
        RankBreakdownView* breakdown = window.rankBreakdown();
        breakdown->refresh();
        QCOMPARE(breakdown->table()->columnCount(), 7);
        QCOMPARE(breakdown->table()->horizontalHeaderItem(6)->text(), QString("logit var."));
        double sum = 0;
        int count = 0;
        for (int row = 0; row < window.results()->rowCount(); ++row) {
            const ImageSummary& s = window.results()->result(row)->summary;
            if (trueClassRank(s.mean, window.results()->result(row)->label) == 1) {
                sum += s.logitVariance;
                ++count;
            }
        }
        QVERIFY(count > 0);
        QCOMPARE(breakdown->table()->item(0, 6)->text(), QString::number(sum / count, 'f', 4));

        QSignalSpy ready(&window, &MainWindow::modelReady);
        window.openModel(kDemoModel);
        QVERIFY(ready.wait(30000));
        for (QComboBox* box : boxes) {
            QCOMPARE(box->findData(int(Score::LogitVariance)), -1);
            QCOMPARE(box->count(), int(allScores().size()));
        }
        QCOMPARE(window.ranking()->score(), Score::PredictiveEntropy);
        QCOMPARE(window.rankBreakdown()->table()->columnCount(), 6);
    }
};

QTEST_MAIN(ViewTextTest)
#include "ViewTextTest.moc"
