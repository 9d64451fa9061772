#include <QSignalSpy>
#include <QtTest>

#include "engine/McEngine.h"
#include "model/ModelBundle.h"
#include "worker/InferenceWorker.h"

using namespace ue;
using namespace ue::ui;

namespace {
const QString kModel = UE_SOURCE_DIR "/models/fmnist-mc-cnn.pt";
const QString kBags = UE_SOURCE_DIR "/resources/samples/fashion-mnist/Bag";
}  // namespace

class InferenceWorkerTest : public QObject {
    Q_OBJECT
  private slots:
    void streamsTheSameSummariesAsTheCoreEngine() {
        InferenceSession session;
        QSignalSpy loaded(session.worker(), &InferenceWorker::modelLoaded);
        session.loadModel(kModel);
        QVERIFY(loaded.wait(30000));
        const auto info = loaded.takeFirst().at(0).value<ModelInfo>();
        QCOMPARE(info.meta.classes.size(), std::size_t(10));
        QVERIFY(info.stochastic);

        RunOptions options;
        options.samples = 40;
        options.seed = 11;
        ResultBatch streamed;
        connect(session.worker(), &InferenceWorker::resultsReady, this,
                [&](const ResultBatch& batch) { streamed += batch; });
        QSignalSpy finished(session.worker(), &InferenceWorker::runFinished);
        QSignalSpy listed(session.worker(), &InferenceWorker::imagesListed);
        session.run({kBags}, options);
        QVERIFY(session.isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY(!session.isRunning());
        QCOMPARE(listed.size(), 1);
        QCOMPARE(streamed.size(), 30);

        // The same run straight through core gives identical numbers (same seed).
        const auto bundle = ModelBundle::load(kModel.toStdString());
        const auto scan = scanInputs({kBags.toStdString()}, bundle.meta().classes);
        std::vector<ImageResult> direct;
        McEngine(bundle).run(scan.images, options,
                             [&](ImageResult&& r) { direct.push_back(std::move(r)); });
        QCOMPARE(direct.size(), std::size_t(30));
        for (int i = 0; i < 30; ++i) {
            QCOMPARE(streamed[i].index, std::size_t(i));
            QCOMPARE(streamed[i].summary.histograms, direct[i].summary.histograms);
            QCOMPARE(streamed[i].summary.mean, direct[i].summary.mean);
            QCOMPARE(streamed[i].summary.mutualInformation, direct[i].summary.mutualInformation);
        }
    }

    void brokenModelIsReported() {
        InferenceSession session;
        QSignalSpy failed(session.worker(), &InferenceWorker::modelFailed);
        session.loadModel("/nonexistent/model.pt");
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.takeFirst().at(0).toString().contains("no such model file"));
        QVERIFY(!session.hasModel());
    }

    void destroyingMidRunJoinsQuickly() {
        auto session = std::make_unique<InferenceSession>();
        QSignalSpy loaded(session->worker(), &InferenceWorker::modelLoaded);
        session->loadModel(kModel);
        QVERIFY(loaded.wait(30000));
        QSignalSpy progressed(session->worker(), &InferenceWorker::progressed);
        RunOptions options;
        options.samples = 5000;  // minutes of work if it were not cancelled
        session->run({UE_SOURCE_DIR "/resources/samples/fashion-mnist"}, options);
        QVERIFY(progressed.wait(30000));
        QElapsedTimer timer;
        timer.start();
        session.reset();
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    }
};

QTEST_GUILESS_MAIN(InferenceWorkerTest)
#include "InferenceWorkerTest.moc"
