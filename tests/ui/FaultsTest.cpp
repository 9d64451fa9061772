// Faults mid-run (issue 8): runs cancelled and restarted many times over thousands of images
// keep memory flat, and an export that runs out of disk keeps the previous file and says why.
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QtTest>
#include <fstream>
#include <string>

#include "../core/FileSizeLimit.h"
#include "UiTestSupport.h"
#include "model/ResultsModel.h"
#include "plots/ClassHistogramsPlot.h"
#include "plots/PlotExport.h"
#include "views/InspectorView.h"
#include "views/MainWindow.h"
#include "views/RunToolbar.h"
#include "worker/InferenceWorker.h"

using namespace ue;
using namespace ue::ui;

namespace {
const QString kSamples = UE_SOURCE_DIR "/resources/samples/fashion-mnist";
const QString kBags = kSamples + "/Bag";

// The resident set of this process, in MiB.
double residentMiB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stod(line.substr(6)) / 1024.0;
        }
    }
    return -1;
}

// `copies` copies of the demo's 300 samples, class folders kept.
bool copyDemoSamples(const QString& target, int copies) {
    for (const QString& folder : QDir(kSamples).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QDir from(kSamples + "/" + folder);
        if (!QDir().mkpath(target + "/" + folder)) {
            return false;
        }
        for (const QString& file : from.entryList(QDir::Files)) {
            for (int copy = 0; copy < copies; ++copy) {
                const QString to = QString("%1/%2/%3-%4").arg(target, folder).arg(copy).arg(file);
                if (!QFile::copy(from.filePath(file), to)) {
                    return false;
                }
            }
        }
    }
    return true;
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
}  // namespace

class FaultsTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void cancellingAndRestartingKeepsMemoryFlat() {
        QTemporaryDir folder;
        QVERIFY(copyDemoSamples(folder.path(), 10));  // 3,000 images
        MainWindow window;
        window.show();
        QSignalSpy ready(&window, &MainWindow::modelReady);
        window.openModel(kDemoModel);
        QVERIFY(ready.wait(30000));
        window.setInputs({folder.path()});
        window.runToolbar()->setOptions(Method::McDropout, 100, 0);
        QSignalSpy progressed(window.session()->worker(), &InferenceWorker::progressed);
        QSignalSpy finished(&window, &MainWindow::runFinished);

        constexpr int kWarmUp = 8;
        constexpr int kCycles = 40;
        double settled = 0;
        for (int cycle = 0; cycle < kCycles; ++cycle) {
            progressed.clear();
            finished.clear();
            window.runToolbar()->runAction()->trigger();
            QVERIFY(progressed.wait(30000));
            QVERIFY(window.session()->isRunning());
            // Cancel at another point in each run: with the first results or a few batches on.
            for (int wait = 0; wait < cycle % 4; ++wait) {
                progressed.wait(2000);
            }
            window.runToolbar()->cancelAction()->trigger();
            QVERIFY(finished.count() > 0 || finished.wait(10000));
            QVERIFY(!window.session()->isRunning());
            QCOMPARE(window.results()->rowCount(), 3000);
            QVERIFY(window.results()->analysedCount() < 3000);
            if (cycle + 1 == kWarmUp) {
                settled = residentMiB();
            }
        }
        const double last = residentMiB();
        qInfo("resident set after %d cancelled runs: %.1f MiB; after %d: %.1f MiB", kWarmUp,
              settled, kCycles, last);
        QVERIFY(settled > 0);
        // A leak of one run's listing and results (3,000 rows) per cycle would add well over
        // this; allocator noise stays far below it.
        QVERIFY2(last - settled < 25, qPrintable(QString("grew %1 MiB").arg(last - settled)));

        // The window still works: one run to the end after all the cancels.
        finished.clear();
        window.setInputs({kBags});
        window.runToolbar()->runAction()->trigger();
        QVERIFY(finished.wait(60000));
        QCOMPARE(window.results()->analysedCount(), 30);
    }

    void exportsOnAFullDiskKeepThePreviousFileAndSayWhy() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kBags}, Method::McDropout, 50, 0));
        window.inspector()->histograms()->resize(800, 500);
        QTemporaryDir folder;
        const QByteArray previous = "the previous file\n";
        const QStringList targets = {folder.filePath("results.csv"), folder.filePath("plot.png"),
                                     folder.filePath("plot.svg"), folder.filePath("plot.pdf")};
        for (const QString& target : targets) {
            QFile file(target);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(previous);
        }
        QStringList errors;
        {
            const test::FileSizeLimit fullAfter(2000);
            errors << window.exportResultsCsv(targets[0]);
            for (int i = 1; i < targets.size(); ++i) {
                errors << exportPlot(*window.inspector()->histograms(), targets[i], 800, 500, 192);
            }
        }
        for (int i = 0; i < targets.size(); ++i) {
            QVERIFY2(errors[i].contains(targets[i]),
                     qPrintable(targets[i] + ": " + errors[i] + " size " +
                                QString::number(readAll(targets[i]).size())));
            QVERIFY2(errors[i].contains("previous file is unchanged"), qPrintable(errors[i]));
            QCOMPARE(readAll(targets[i]), previous);
        }
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files | QDir::Hidden).size(), targets.size());

        // With room again the same exports succeed.
        for (int i = 0; i < targets.size(); ++i) {
            const QString error =
                i == 0 ? window.exportResultsCsv(targets[0])
                       : exportPlot(*window.inspector()->histograms(), targets[i], 800, 500, 192);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY(readAll(targets[i]).size() > 2000);
        }
    }
};

QTEST_MAIN(FaultsTest)
#include "FaultsTest.moc"
