#include <QFile>
#include <QFileInfo>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "UiTestSupport.h"
#include "analysis/MethodComparison.h"
#include "data/FolderScan.h"
#include "model/ModelBundle.h"
#include "model/ResultsModel.h"
#include "plots/GroupBoxPlot.h"
#include "plots/MethodHistogramsPlot.h"
#include "plots/MethodSpreadPlot.h"
#include "views/AdaptiveSplitter.h"
#include "views/BrowserView.h"
#include "views/ComparisonTable.h"
#include "views/ComparisonView.h"
#include "views/MainWindow.h"
#include "views/MethodListEditor.h"
#include "views/ScrollingPage.h"
#include "worker/InferenceWorker.h"

using namespace ue;
using namespace ue::ui;

namespace {
const QString kTwin = UE_SOURCE_DIR "/models/fmnist-det-cnn.pt";
const QString kBags = UE_SOURCE_DIR "/resources/samples/fashion-mnist/Bag";
const QString kDigits = UE_SOURCE_DIR "/resources/samples/ood-digits";

MethodSpec method(const std::string& label, const QString& model, Method kind, int samples) {
    MethodSpec spec{label, model.toStdString(), defaultComparisonOptions(), {}};
    spec.options.method = kind;
    spec.options.samples = samples;
    spec.options.seed = 4;
    spec.options.threads = 1;
    return spec;
}

// The same method straight through core: the row the comparison should show.
ComparisonRow directRow(const MethodSpec& spec) {
    const auto bundle = ModelBundle::load(spec.model);
    MethodAccumulator accumulator(spec);
    for (const bool out : {false, true}) {
        const auto scan = scanInputs({(out ? kDigits : kBags).toStdString()},
                                     out ? std::vector<std::string>{} : bundle.meta().classes);
        McEngine(bundle).run(scan.images, spec.options, [&](ImageResult&& r) {
            out ? accumulator.addOut(r.index, r.summary)
                : accumulator.add(r.index, r.summary, r.label);
        });
    }
    return accumulator.result();
}
}  // namespace

class CompareViewTest : public QObject {
    Q_OBJECT
  private slots:
    // At the width the window gives it, the selected-image plot's legend clipped the longest
    // method names; now they are elided in the middle, and whole again when there is room.
    void legendNamesFitANarrowPlot() {
        const std::vector<float> samples = {0.7F, 0.2F, 0.1F, 0.5F, 0.3F, 0.2F};
        const ImageSummary summary = summarizeSamples(samples.data(), 2, 3, SummaryOptions{});
        const QString longName = "heteroscedastic T=30 K=10 (seed 4, fp32)";
        const std::vector<MethodSpreadPlot::Entry> entries = {
            {"deterministic", &summary}, {"MC dropout T=30", &summary}, {longName, &summary}};
        const auto shownNames = [](QCustomPlot& plot) {
            QStringList names;
            for (int i = 0; i < plot.legend->itemCount(); ++i) {
                auto* item = qobject_cast<QCPPlottableLegendItem*>(plot.legend->item(i));
                if (item) {
                    names << item->plottable()->name();
                }
            }
            return names;
        };
        MethodSpreadPlot spread;
        MethodHistogramsPlot histograms;
        for (QCustomPlot* plot :
             {static_cast<QCustomPlot*>(&spread), static_cast<QCustomPlot*>(&histograms)}) {
            plot->resize(300, 420);
            plot->show();
            QVERIFY(QTest::qWaitForWindowExposed(plot));
        }
        spread.showImage("x", entries, {"a", "b", "c"});
        histograms.showImage("x", entries, {"a", "b", "c"});
        for (QCustomPlot* plot :
             {static_cast<QCustomPlot*>(&spread), static_cast<QCustomPlot*>(&histograms)}) {
            QStringList names = shownNames(*plot);
            QCOMPARE(names.size(), 3);
            QCOMPARE(names[0], QString("deterministic"));
            QVERIFY2(names[2].contains(QChar(0x2026)) && names[2].endsWith("fp32)"),
                     qPrintable(names[2]));
            const QFontMetrics metrics(plot->legend->font());
            QVERIFY(metrics.horizontalAdvance(names[2]) < 300 / 2);
            plot->resize(1400, 420);
            QTRY_COMPARE(shownNames(*plot)[2], longName);
        }
    }

    // Between the window's docks the tab was about 690 px wide and the two plots side by side
    // needed 720: the page scrolled sideways. Narrow, they stack; wide, they sit side by side.
    void plotsStackWhenTheTabIsNarrow() {
        ComparisonView* view = new ComparisonView;
        std::unique_ptr<QScrollArea> page(scrollingPage(view));
        page->resize(650, 800);
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page.get()));
        QTRY_VERIFY(view->plots()->isStacked());
        QVERIFY2(view->minimumSizeHint().width() <= page->viewport()->width(),
                 qPrintable(QString::number(view->minimumSizeHint().width())));
        QTRY_VERIFY(!page->horizontalScrollBar()->isVisible());
        // Stacked, each plot keeps a readable height and the page scrolls down instead.
        QVERIFY(view->distribution()->height() >= 250);
        page->resize(1300, 800);
        QTRY_VERIFY(!view->plots()->isStacked());
        QTRY_VERIFY(!page->horizontalScrollBar()->isVisible());
        QVERIFY(view->distribution()->width() > 400);
        QVERIFY(view->imagePlot()->width() > 400);
        page->resize(650, 800);
        QTRY_VERIFY(view->plots()->isStacked());
    }

    // Stacking raises the panes' minimum heights; side by side again, each gets back its own.
    void adaptiveSplitterGivesPanesBackTheirOwnMinimum() {
        AdaptiveSplitter splitter(/*sideBySideWidth=*/900, /*stackedPaneHeight=*/300);
        auto* plot = new QWidget;
        plot->setMinimumHeight(180);
        splitter.addWidget(plot);
        splitter.addWidget(new QWidget);
        splitter.resize(600, 800);
        splitter.show();
        QVERIFY(QTest::qWaitForWindowExposed(&splitter));
        QTRY_VERIFY(splitter.isStacked());
        QCOMPARE(plot->minimumHeight(), 300);
        QCOMPARE(splitter.widget(1)->minimumHeight(), 300);
        splitter.resize(1200, 800);
        QTRY_VERIFY(!splitter.isStacked());
        QCOMPARE(plot->minimumHeight(), 180);
        QCOMPARE(splitter.widget(1)->minimumHeight(), 0);
    }

    void workerRunsEveryMethodAndReportsABrokenOne() {
        InferenceSession session;  // no main model: a comparison loads its own
        const MethodList methods = {method("twin", kTwin, Method::Deterministic, 1),
                                    method("broken", "/no/such/model.pt", Method::McDropout, 3),
                                    method("mc", kDemoModel, Method::McDropout, 5)};
        ComparisonData data;
        data.begin(methods);
        InferenceWorker* worker = session.worker();
        connect(worker, &InferenceWorker::comparisonResultsReady, this,
                [&](int m, bool out, const ResultBatch& batch) { data.add(m, out, batch); });
        connect(worker, &InferenceWorker::comparisonMethodFinished, this,
                [&](int m, double seconds, bool cancelled) {
                    data.finishMethod(m, seconds, cancelled);
                });
        QSignalSpy failed(worker, &InferenceWorker::comparisonMethodFailed);
        QSignalSpy started(worker, &InferenceWorker::comparisonStarted);
        QSignalSpy finished(worker, &InferenceWorker::comparisonFinished);
        session.runComparison({kBags}, {kDigits}, methods);
        QVERIFY(session.isRunning());
        QVERIFY(finished.wait(120000));
        QVERIFY(!session.isRunning());
        QCOMPARE(finished.takeFirst().at(0).toBool(), false);
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.takeFirst().at(0).toStringList().size(), 10);
        QCOMPARE(failed.size(), 1);
        const auto failure = failed.takeFirst();
        QCOMPARE(failure.at(0).toInt(), 1);
        QVERIFY(failure.at(1).toString().contains("model.pt"));

        const auto rows = data.rows();
        QCOMPARE(int(rows.size()), 2);
        for (int r = 0; r < 2; ++r) {
            const ComparisonRow expected = directRow(methods[r == 0 ? 0 : 2]);
            QCOMPARE(rows[r].label, expected.label);
            QCOMPARE(rows[r].images, std::size_t(30));
            QCOMPARE(rows[r].outImages, std::size_t(100));
            QCOMPARE(rows[r].accuracy, expected.accuracy);
            QCOMPARE(rows[r].nll, expected.nll);
            QCOMPARE(rows[r].oodAurocEntropy, expected.oodAurocEntropy);
            QCOMPARE(rows[r].meanMutualInformation, expected.meanMutualInformation);
            QVERIFY(rows[r].imagesPerSecond > 0);
        }
        QVERIFY(rows[1].meanMutualInformation > 0);  // MC dropout has epistemic spread
        QCOMPARE(rows[0].meanMutualInformation, 0.0);
    }

    void viewShowsTableDistributionsAndTheSelectedImage() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kBags}, Method::McDropout, 10, 1));
        ComparisonView* view = window.comparison();
        view->methods()->setMethods({method("twin", kTwin, Method::Deterministic, 1),
                                     method("mc T=8", kDemoModel, Method::McDropout, 8)});
        view->setOodInputs({kDigits});
        QSignalSpy done(view, &ComparisonView::comparisonFinished);
        view->requestRun();
        QVERIFY(done.wait(120000));
        QVERIFY(!window.session()->isRunning());
        // The toolbar says the comparison is over, not "· 0 s left".
        QTRY_VERIFY(labelShowing(window, " done · "));
        QVERIFY(!labelShowing(window, " starting…"));

        ComparisonTable* table = view->table();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(0, 0)->text(), QString("twin"));
        // Column 7 is OOD AUROC by predictive entropy: one of the two is best and marked bold.
        const int best = table->bestRow(7);
        QVERIFY(best == 0 || best == 1);
        QVERIFY(table->item(best, 7)->font().bold());
        QVERIFY(!table->item(1 - best, 7)->font().bold());
        QCOMPARE(view->distribution()->boxCount(), 2);

        // Sorting by accuracy, descending, sorts numerically.
        table->sortItems(1, Qt::DescendingOrder);
        QVERIFY(table->item(0, 1)->text().toDouble() >= table->item(1, 1)->text().toDouble());

        // The browser's image, under both methods: one box per method per shown class. A
        // hidden Compare tab draws the selection when it is shown.
        window.browser()->selectSourceRow(3);
        const QString name =
            QFileInfo(QString::fromStdString(window.results()->entry(3).path)).fileName();
        window.showCentralTab(CentralTabs::CompareTab);
        QVERIFY(view->imagePlot()->title().startsWith(name));
        QCOMPARE(int(view->imagePlot()->shownClasses().size()), 5);
        QCOMPARE(view->imagePlot()->boxCount(), 2 * 5);
        // The same image as histograms: each method's shares in a class's panel are its
        // summary's histogram over its samples (the twin's one pass is one bin at 1).
        view->imageStyle()->setCurrentIndex(1);
        auto* histograms = view->imageHistograms();
        QVERIFY(histograms->isVisible());
        QCOMPARE(histograms->shownClasses(), view->imagePlot()->shownClasses());
        const ComparisonData& data = view->data();
        for (int m = 0; m < 2; ++m) {
            const ImageSummary* summary =
                data.summary(data.rowMethods()[std::size_t(m)],
                             QString::fromStdString(window.results()->entry(3).path));
            QVERIFY(summary);
            const int cls = histograms->shownClasses().front();
            const QVector<double> shares = histograms->shares(0, m);
            QCOMPARE(shares.size(), summary->histogramBins);
            double total = 0;
            for (int b = 0; b < shares.size(); ++b) {
                QCOMPARE(shares[b], double(summary->histogramCount(cls, b)) / summary->samples);
                total += shares[b];
            }
            QVERIFY(qAbs(total - 1.0) < 1e-9);
        }

        QTemporaryDir dir;
        const QString csv = dir.filePath("comparison.csv");
        QCOMPARE(view->writeCsv(csv), QString());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QVERIFY(lines.front().startsWith("method,model,description,"));
        QVERIFY(lines.at(1).startsWith("twin,"));

        // The methods file round-trips through the editor.
        const QString saved = dir.filePath("methods.json");
        QCOMPARE(view->methods()->saveFile(saved), QString());
        view->methods()->setMethods({});
        QCOMPARE(view->methods()->loadFile(saved), QString());
        QCOMPARE(view->methods()->methods().size(), 2);
        QCOMPARE(view->methods()->methods()[1].options.samples, 8);

        // "Add current model" takes the open model with the toolbar's method and T.
        QPushButton* addCurrent = nullptr;
        for (auto* button : view->methods()->findChildren<QPushButton*>()) {
            if (button->text() == "Add current model") {
                addCurrent = button;
            }
        }
        QVERIFY(addCurrent);
        addCurrent->click();
        QCOMPARE(view->methods()->methods().size(), 3);
        const MethodSpec& current = view->methods()->methods()[2];
        QCOMPARE(QString::fromStdString(current.model), QFileInfo(kDemoModel).absoluteFilePath());
        QCOMPARE(current.options.samples, 10);
        QVERIFY(QString::fromStdString(current.label).contains("mc-dropout"));
    }
};

QTEST_MAIN(CompareViewTest)
#include "CompareViewTest.moc"
