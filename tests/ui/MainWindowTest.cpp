#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

#include "UiTestSupport.h"
#include "io/CsvReader.h"
#include "io/ThresholdsFile.h"
#include "metrics/ImageSummary.h"
#include "model/ResultsModel.h"
#include "plots/ClassHistogramsPlot.h"
#include "plots/GammaCurvesPlot.h"
#include "plots/PlotExport.h"
#include "plots/RocPlot.h"
#include "plots/ScoreCurvePlot.h"
#include "views/AnalysisTabs.h"
#include "views/BrowserView.h"
#include "views/GammaSweepView.h"
#include "views/InspectorView.h"
#include "views/MainWindow.h"
#include "views/OodView.h"
#include "views/RankingView.h"
#include "views/RunToolbar.h"
#include "views/ScrollingPage.h"

using namespace ue;
using namespace ue::ui;

namespace {
const QString kModel = UE_SOURCE_DIR "/models/fmnist-mc-cnn.pt";
const QString kSamples = UE_SOURCE_DIR "/resources/samples/fashion-mnist";

// Opens the demo model and waits until it is loaded.
bool loadDemoModel(MainWindow& window) {
    window.show();
    QSignalSpy ready(&window, &MainWindow::modelReady);
    window.openModel(kModel);
    return ready.wait(30000);
}

// How long this process's main (GUI) thread has waited, ready to run, for a core, in ms; 0 where
// the kernel does not keep scheduler statistics.
double runQueueMs() {
    QFile file("/proc/self/schedstat");
    return file.open(QIODevice::ReadOnly) ? file.readAll().split(' ').value(1).toDouble() / 1e6 : 0;
}

QStringList readLines(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll()).split("\r\n", Qt::SkipEmptyParts);
}
}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void demoRunFillsTheBrowserAndTheHistogramsMatchTheCore() {
        MainWindow window;
        window.show();
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.setInputs({kSamples});
        window.setAutoRun(true);
        window.openModel(kModel);
        QVERIFY(finished.wait(120000));
        QCOMPARE(window.results()->rowCount(), 300);
        QCOMPARE(window.results()->analysedCount(), 300);

        const int row = 123;
        window.browser()->selectSourceRow(row);
        const ImageResult* result = window.results()->result(row);
        QVERIFY(result && result->ok);
        const ImageSummary& s = result->summary;
        ClassHistogramsPlot* plot = window.inspector()->histograms();
        QCOMPARE(int(plot->shownClasses().size()), 10);
        for (int panel = 0; panel < 10; ++panel) {
            const int cls = plot->shownClasses()[panel];
            const QVector<double> shares = plot->barShares(panel);
            QCOMPARE(shares.size(), s.histogramBins);
            for (int b = 0; b < s.histogramBins; ++b) {
                QCOMPARE(shares[b], double(s.histogramCount(cls, b)) / s.samples);
            }
            QCOMPARE(plot->thresholdOf(panel), 0.5);
        }

        // Ranking: the shown images are the most uncertain by the chosen score, in order.
        window.ranking()->setScore(Score::MutualInformation);
        const auto& shown = window.ranking()->shownRows();
        QVERIFY(!shown.empty());
        for (std::size_t i = 1; i < shown.size(); ++i) {
            QVERIFY(window.results()->result(shown[i - 1])->summary.mutualInformation >=
                    window.results()->result(shown[i])->summary.mutualInformation);
        }
        for (int r = 0; r < window.results()->rowCount(); ++r) {
            if (std::find(shown.begin(), shown.end(), r) == shown.end()) {
                QVERIFY(window.results()->result(r)->summary.mutualInformation <=
                        window.results()->result(shown.back())->summary.mutualInformation);
            }
        }
        QCOMPARE(window.ranking()->curve()->pointCount(), 300);
        // Exported as CSV: the grid's images in its order, each with the chosen score.
        window.ranking()->setScore(Score::Margin);
        QTemporaryDir rankingDir;
        const QString rankingCsv = rankingDir.filePath("most-uncertain.csv");
        QCOMPARE(window.ranking()->writeRankingCsv(rankingCsv), QString());
        std::ifstream rankingFile(rankingCsv.toStdString(), std::ios::binary);
        CsvReader reader(rankingFile);
        CsvRecord record;
        QVERIFY(reader.next(record));
        QCOMPARE(record.cells.front(), std::string("rank"));
        const auto& marginRows = window.ranking()->shownRows();
        for (std::size_t i = 0; i < marginRows.size(); ++i) {
            QVERIFY(reader.next(record));
            const ImageResult* result = window.results()->result(marginRows[i]);
            QCOMPARE(record.cells[0], std::to_string(i + 1));
            QCOMPARE(record.cells[1], result->path);
            QCOMPARE(record.cells[2], window.results()->classes()[result->label].toStdString());
            QCOMPARE(record.cells[3],
                     window.results()->classes()[result->summary.argmaxPrediction].toStdString());
            QCOMPARE(record.cells[4], std::string("margin"));
            // Nine significant digits, as every number in our CSVs.
            QVERIFY(std::abs(std::stod(record.cells[5]) - result->summary.margin) < 1e-8);
        }
        QVERIFY(!reader.next(record));
        // Lowest margin first.
        QVERIFY(window.results()->result(marginRows.front())->summary.margin <=
                window.results()->result(marginRows.back())->summary.margin);

        // Loaded per-class thresholds replace the median rule's 0.5 on the histograms.
        QTemporaryDir thresholdDir;
        std::vector<float> values;
        for (int c = 0; c < 10; ++c) {
            values.push_back(0.05f * float(c + 1));
        }
        ThresholdsFile thresholds;
        for (const QString& name : window.results()->classes()) {
            thresholds.classes.push_back(name.toStdString());
        }
        thresholds.values.thresholds = values;
        const QString thresholdPath = thresholdDir.filePath("t.json");
        saveThresholds(thresholds, thresholdPath.toStdString());
        QCOMPARE(window.loadThresholds(thresholdPath), QString());
        for (int panel = 0; panel < 10; ++panel) {
            QCOMPARE(plot->thresholdOf(panel), double(values[plot->shownClasses()[panel]]));
        }
        thresholds.classes[0] = "not a class";
        saveThresholds(thresholds, thresholdPath.toStdString());
        QVERIFY(window.loadThresholds(thresholdPath).contains("do not match"));

        // Exports: CSV with the CLI's columns, raw samples, and plots in three formats.
        QTemporaryDir dir;
        const QString csv = dir.filePath("results.csv");
        QCOMPARE(window.exportResultsCsv(csv), QString());
        const QStringList lines = readLines(csv);
        QCOMPARE(lines.size(), 301);
        QVERIFY(lines[0].startsWith("path,label,status,error,samples,pred_argmax"));
        const QString raw = dir.filePath("raw.csv");
        QCOMPARE(window.exportRawSamples(raw), QString());
        QCOMPARE(readLines(raw).size(), 1 + s.samples);

        const QString png = dir.filePath("h.png");
        const QString svg = dir.filePath("h.svg");
        const QString pdf = dir.filePath("h.pdf");
        QCOMPARE(exportPlot(*plot, png, 1200, 700, 192), QString());
        QCOMPARE(exportPlot(*plot, svg, 1200, 700), QString());
        QCOMPARE(exportPlot(*plot, pdf, 1200, 700), QString());
        const QImage image(png);
        QCOMPARE(image.size(), QSize(2400, 1400));
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.read(5) == "%PDF-");
        QVERIFY(pdfFile.size() > 2000);
        // A failed export leaves no file behind and says why.
        QVERIFY(!exportPlot(*plot, "/nonexistent-dir/h.png", 100, 100).isEmpty());
    }

    void theWindowFitsASmallLaptopScreen() {
        MainWindow window;
        QVERIFY(loadDemoModel(window));
        // A 1366 x 768 laptop less its panel and the title bar. The widest tab page (Compare)
        // held the window at 1458 px, and the status bar's texts at 611.
        const QSize least = window.minimumSizeHint();
        QVERIFY2(least.width() <= 1024 && least.height() <= 600,
                 qPrintable(QString("%1 x %2").arg(least.width()).arg(least.height())));
        window.resize(1024, 600);
        auto* analysis = window.findChild<AnalysisTabs*>();
        auto* ood = window.findChild<OodView*>();
        QVERIFY(analysis && ood);
        showPageOf(analysis, ood);
        QApplication::processEvents();
        // The page scrolls rather than squeeze its plots: the histograms were 40 px tall at 720.
        auto* roc = ood->findChild<RocPlot*>();
        auto* histograms = ood->findChild<ScoreHistogramsPlot*>();
        QVERIFY(roc && histograms);
        QCOMPARE_GE(roc->height(), 220);
        QCOMPARE_GE(histograms->height(), 170);
        auto* page = qobject_cast<QScrollArea*>(analysis->currentWidget());
        QVERIFY(page);
        QVERIFY(page->verticalScrollBar()->maximum() > 0);
        // The wheel over a plot goes on to the page (QCustomPlot took every wheel event, so
        // with plots filling the page the wheel could not scroll it); Ctrl + wheel zooms. Qt
        // passes an ignored wheel event to the parents only when it comes from the system, so
        // what is checked here is that the plot leaves it.
        const QPointF centre(roc->width() / 2.0, roc->height() / 2.0);
        const auto plotKeeps = [&](Qt::KeyboardModifiers modifiers) {
            QWheelEvent event(centre, roc->mapToGlobal(centre), QPoint(), QPoint(0, -120),
                              Qt::NoButton, modifiers, Qt::NoScrollPhase, false);
            QApplication::sendEvent(roc, &event);
            return event.isAccepted();
        };
        QVERIFY(page->verticalScrollBar()->isVisible());
        QVERIFY(!plotKeeps(Qt::NoModifier));
        QVERIFY(plotKeeps(Qt::ControlModifier));
    }

    // At a γ where the median rule leaves every image unclassified its "accuracy of covered"
    // does not exist: a gap in the curve, not a fall to 0 (which read as every covered image
    // wrong). One image analysed of two inputs is said so, in the singular.
    void gammaSweepLeavesAGapWhereTheRuleCoversNothing() {
        MainWindow window;
        GammaSweepView* view = window.gammaSweep();
        view->begin({0.5, 2.0}, {"a", "b"}, {});
        const auto resultAt = [](std::size_t gammaIndex, int medianRule) {
            GammaResult r;
            r.imageIndex = 1;  // image 0 failed to decode
            r.gammaIndex = gammaIndex;
            r.result.ok = true;
            r.result.label = 0;
            const std::vector<float> passes = {0.9f, 0.1f, 0.8f, 0.2f};
            r.result.summary = summarizeSamples(passes.data(), 2, 2, {});
            r.result.summary.medianRulePrediction = medianRule;
            return r;
        };
        view->addResults({resultAt(0, 0), resultAt(1, kUnclassified)});
        RunReport report;
        report.device = "cpu";
        view->finish(report);
        const QVector<double> coverage = view->setCurves()->curveValues(1);
        const QVector<double> coveredAccuracy = view->setCurves()->curveValues(2);
        QCOMPARE(coverage, (QVector<double>{1.0, 0.0}));
        QCOMPARE(coveredAccuracy[0], 1.0);
        QVERIFY(std::isnan(coveredAccuracy[1]));
        QVERIFY(labelShowing(*view, "1 of 2 images × 2 γ in"));
    }

    void droppingAFolderLoadsAndRunsIt() {
        DropTarget window;
        QVERIFY(loadDemoModel(window));
        QSignalSpy finished(&window, &MainWindow::runFinished);
        QVERIFY(window.drop({kSamples + "/Sandal"}));
        QVERIFY(finished.wait(60000));
        QCOMPARE(window.inputs(), QStringList{kSamples + "/Sandal"});
        QCOMPARE(window.results()->rowCount(), 30);
        for (int r = 0; r < 30; ++r) {
            QCOMPARE(window.results()->entry(r).label, 5);  // Sandal
        }
    }

    // The recent-images menu lists what was opened, and choosing an entry runs it again: the
    // same code path as every other way of opening.
    void recentImagesMenuReopensAFolder() {
        MainWindow window;
        QVERIFY(loadDemoModel(window));
        window.setInputs({kSamples + "/Bag"});
        const QStringList titles = [&] {
            QStringList out;
            for (QAction* action : window.menuBar()->actions()) {
                out << action->text();
            }
            return out;
        }();
        QCOMPARE(titles, (QStringList{"&File", "&Run", "&View"}));
        QMenu* file = window.menuBar()->actions().front()->menu();
        QMenu* recent = nullptr;
        for (QAction* action : file->actions()) {
            if (action->text() == "Recent images") {
                recent = action->menu();
            }
        }
        QVERIFY(recent && recent->isEnabled());
        QAction* entry = recent->actions().front();
        QCOMPARE(entry->text(), QFileInfo(kSamples + "/Bag").absoluteFilePath());
        QSignalSpy finished(&window, &MainWindow::runFinished);
        entry->trigger();
        QVERIFY(finished.wait(60000));
        QCOMPARE(window.results()->rowCount(), 30);
    }

    // The status bar says what kind of model is open, in colour where MC passes would be
    // identical (its labels are rich text; what they quote from files is escaped).
    void statusBarSaysWhenAModelHasNoStochasticLayer() {
        MainWindow window;
        window.show();
        QSignalSpy ready(&window, &MainWindow::modelReady);
        window.openModel(UE_SOURCE_DIR "/models/fmnist-det-cnn.pt");
        QVERIFY(ready.wait(30000));
        QVERIFY(labelShowing(window, "Model: fmnist-det-cnn (10 classes)"));
        QVERIFY(labelShowing(window, "· no stochastic layer: MC passes are identical"));
        // A deterministic run is what such a model is for: a fact, not a red warning.
        window.runToolbar()->setOptions(Method::Deterministic, 1, 0);
        const QLabel* stochastic = labelShowing(window, "· no stochastic layer");
        QVERIFY(stochastic);
        QCOMPARE(shownText(*stochastic), QString("· no stochastic layer"));
        QVERIFY(!stochastic->text().contains("color"));
        window.runToolbar()->setOptions(Method::McDropout, 30, 0);
        QVERIFY(labelShowing(window, "· no stochastic layer: MC passes are identical"));
    }

    // A menu takes "&" for a shortcut mark; a folder named "R&D" must read as it is.
    void recentMenuShowsAnAmpersandAsWritten() {
        QTemporaryDir folder;
        const QString images = folder.filePath("R&D");
        QVERIFY(QDir().mkpath(images));
        QVERIFY(QFile::copy(kSamples + "/Bag/00018.png", images + "/bag.png"));
        MainWindow window;
        QVERIFY(loadDemoModel(window));
        window.setInputs({images});
        QMenu* recent = nullptr;
        for (QAction* action : window.menuBar()->actions().front()->menu()->actions()) {
            if (action->text() == "Recent images") {
                recent = action->menu();
            }
        }
        QVERIFY(recent && recent->isEnabled());
        QAction* entry = recent->actions().front();
        QCOMPARE(entry->iconText(), QFileInfo(images).absoluteFilePath());
        QSignalSpy finished(&window, &MainWindow::runFinished);
        entry->trigger();
        QVERIFY(finished.wait(60000));
        QCOMPARE(window.results()->rowCount(), 1);
    }

    void guiThreadStaysResponsiveDuringARun() {
        MainWindow window;
        QVERIFY(loadDemoModel(window));
        // By hand, UE_RESPONSIVENESS_INPUT / _SAMPLES point this at a large folder (e.g. 100k
        // images; raise QTEST_FUNCTION_TIMEOUT too).
        window.setInputs({qEnvironmentVariable("UE_RESPONSIVENESS_INPUT", kSamples)});
        const int samples = qEnvironmentVariableIntValue("UE_RESPONSIVENESS_SAMPLES");
        window.runToolbar()->setOptions(Method::McDropout, samples > 0 ? samples : 100, 0);
        window.startRun();
        QSignalSpy finished(&window, &MainWindow::runFinished);
        // A GUI thread waiting on inference would stall for a whole batch (hundreds of ms). What
        // counts is the time the GUI thread was busy or blocked between two 5 ms ticks, not the
        // time it was ready but waiting for a core: the worker's threads fill both cores here,
        // and CI runs other tests beside this one (raw gaps of 53-88 ms were seen then, and 62
        // ms once on an idle machine). The kernel counts that wait (schedstat's second field).
        QElapsedTimer clock;
        clock.start();
        qint64 lastTick = 0;
        double lastQueued = runQueueMs();
        double longest = 0;
        qint64 longestRaw = 0;
        QTimer ticker;
        ticker.setInterval(5);
        connect(&ticker, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            const double queued = runQueueMs();
            longestRaw = std::max(longestRaw, now - lastTick);
            longest = std::max(longest, double(now - lastTick) - (queued - lastQueued));
            lastTick = now;
            lastQueued = queued;
        });
        ticker.start();
        QVERIFY(finished.wait(1200000));
        ticker.stop();
        qInfo(
            "longest gap between GUI-thread timer ticks during the run: %.0f ms busy or blocked "
            "(%lld ms with the waits for a core)",
            longest, longestRaw);
        QVERIFY2(longest < 50, qPrintable(QString("%1 ms").arg(longest)));
        QVERIFY(window.results()->rowCount() > 0);
        QCOMPARE(window.results()->analysedCount(), window.results()->rowCount());
    }

    // Issue 7: from pressing Run on the demo (300 images, MC dropout, T = 100) to the first
    // histograms in the inspector within a second.
    void firstHistogramsWithinASecondOfRun() {
        MainWindow window;
        QVERIFY(loadDemoModel(window));
        window.setInputs({kSamples});
        window.runToolbar()->setOptions(Method::McDropout, 100, 0);
        QSignalSpy finished(&window, &MainWindow::runFinished);
        QElapsedTimer clock;
        clock.start();
        window.runToolbar()->runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!window.inspector()->histograms()->shownClasses().empty(), 10000);
        const qint64 firstHistograms = clock.elapsed();
        qInfo("first histograms %lld ms after Run", firstHistograms);
        QVERIFY2(firstHistograms <= 1000, qPrintable(QString("%1 ms").arg(firstHistograms)));
        QVERIFY(finished.wait(120000));
    }

    void closingMidRunReturnsWithinASecond() {
        auto window = std::make_unique<MainWindow>();
        QVERIFY(loadDemoModel(*window));
        window->runToolbar()->setOptions(Method::McDropout, 5000, 0);
        window->setInputs({kSamples});
        QSignalSpy progressed(window->session()->worker(), &InferenceWorker::progressed);
        window->startRun();
        QVERIFY(progressed.wait(30000));
        QVERIFY(window->session()->isRunning());
        QElapsedTimer timer;
        timer.start();
        window->close();
        window.reset();
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QString("%1 ms").arg(timer.elapsed())));
    }
};

QTEST_MAIN(MainWindowTest)
#include "MainWindowTest.moc"
