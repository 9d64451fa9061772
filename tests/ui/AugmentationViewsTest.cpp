// Test-time augmentation in the window: the policy editor and its preview, the per-copy
// outcomes, the "TTA copies" tab after a real run of the deterministic twin, and thresholds
// from TTA means.
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include "AppSettings.h"
#include "UiTestSupport.h"
#include "augment/Augmenter.h"
#include "data/ImageLoader.h"
#include "io/ThresholdsFile.h"
#include "model/CopyOutcomes.h"
#include "model/ModelBundle.h"
#include "model/ResultsModel.h"
#include "plots/CopyProbabilityPlot.h"
#include "views/AugmentPolicyDialog.h"
#include "views/AugmentedCopiesGrid.h"
#include "views/AugmentedCopiesView.h"
#include "views/BrowserView.h"
#include "views/MainWindow.h"
#include "views/RunToolbar.h"
#include "views/ThresholdsView.h"

using namespace ue;
using namespace ue::ui;

namespace {
const QString kTwin = UE_SOURCE_DIR "/models/fmnist-det-cnn.pt";
const QString kBags = UE_SOURCE_DIR "/resources/samples/fashion-mnist/Bag";
const QString kSamples = UE_SOURCE_DIR "/resources/samples/fashion-mnist";
const QString kValidation = UE_SOURCE_DIR "/resources/samples/fashion-mnist-val";
const QString kBagImage = kBags + "/00018.png";

AugmentPolicy demoPolicy(int copies) {
    AugmentPolicy policy;
    policy.copies = copies;
    policy.includeOriginal = true;
    policy.maxShift = 0.05;
    policy.maxRotationDegrees = 5;
    policy.brightness = 0.05;
    policy.noiseStd = 0.02;
    return policy;
}

bool runTwin(MainWindow& window, const QStringList& inputs, const AugmentPolicy& policy) {
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.runToolbar()->setOptions(Method::Deterministic, 1, 0);
    window.setAugmentPolicy(policy);
    window.setInputs(inputs);
    window.setAutoRun(true);
    window.openModel(kTwin);
    return finished.wait(120000);
}
}  // namespace

class AugmentationViewsTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    // The window saves the policy; later tests must start without augmentation.
    void cleanup() { AppSettings().setAugmentPolicy({}); }

    void dialogRoundTripsThePolicyAndPreviewsTheRunsCopies() {
        const InputSpec spec = ModelBundle::load(kTwin.toStdString()).meta().input;
        AugmentPolicyDialog dialog;
        AugmentPolicy policy = demoPolicy(40);
        policy.contrast = 0.2;
        policy.border = AugmentBorder::Zero;
        policy.seed = 11;
        dialog.setPolicy(policy);
        QCOMPARE(QString::fromStdString(augmentPolicyToJson(dialog.policy())),
                 QString::fromStdString(augmentPolicyToJson(policy)));
        dialog.setPreviewImage(kBagImage, spec, 7);
        dialog.refreshPreview();
        QCOMPARE(dialog.preview()->copyCount(), 24);  // the first 24 of 40
        // The preview is what the run feeds the model: the core's augmenter, same key and seed.
        const cv::Mat pixels =
            toModelPixels(decodeImageFile(kBagImage.toStdString()), spec, kBagImage.toStdString());
        const cv::Mat third =
            applyAugmentation(pixels, drawAugmentation(policy, 7, 2), policy.border);
        QVERIFY(dialog.preview()->tileToolTip(2).startsWith("Copy 3: "));
        const QString described = describeDraw(drawAugmentation(policy, 7, 2), 28, 28);
        QVERIFY2(dialog.preview()->tileToolTip(2).contains(described),
                 qPrintable(dialog.preview()->tileToolTip(2)));
        const QImage tile = dialog.preview()->copies()[2].image;
        QCOMPARE(tile.size(), QSize(third.cols, third.rows));
        for (int y = 0; y < third.rows; ++y) {
            for (int x = 0; x < third.cols; ++x) {
                const int expected = cvRound(third.at<float>(y, x) * 255.0);
                QVERIFY(std::abs(qGray(tile.pixel(x, y)) - expected) <= 1);
            }
        }
        QVERIFY(dialog.summary()->text().contains("40 copies × 1"));

        dialog.setPassesPerCopy(30);
        QVERIFY(dialog.summary()->text().contains("1200 forward passes"));
        dialog.applyPreset("off");
        QVERIFY(!dialog.policy().enabled());
        QVERIFY(!dialog.findChildren<QDoubleSpinBox*>().front()->isEnabled());
        dialog.refreshPreview();
        QCOMPARE(dialog.preview()->copyCount(), 0);
        dialog.applyPreset("strong");
        QCOMPARE(dialog.policy().copies, 64);
        QVERIFY(dialog.policy().flipProbability > 0);
        QCOMPARE(dialog.policy().seed, std::uint64_t(11));  // presets leave the seed alone
    }

    void dialogSavesAndLoadsTheCliPolicyFile() {
        QTemporaryDir dir;
        AugmentPolicyDialog dialog;
        dialog.setPolicy(demoPolicy(12));
        const QString path = dir.filePath("policy.json");
        QCOMPARE(dialog.saveJson(path), QString());
        AugmentPolicyDialog other;
        QCOMPARE(other.loadJson(path), QString());
        QCOMPARE(QString::fromStdString(augmentPolicyToJson(other.policy())),
                 QString::fromStdString(augmentPolicyToJson(demoPolicy(12))));
        // A CLI file with values the spin boxes must not round, and a 64-bit seed, survives OK.
        AugmentPolicy exact = demoPolicy(3);
        exact.flipProbability = 0.125;
        exact.maxRotationDegrees = 2.25;
        exact.seed = 12345678901234ull;
        other.setPolicy(exact);
        QCOMPARE(QString::fromStdString(augmentPolicyToJson(other.policy())),
                 QString::fromStdString(augmentPolicyToJson(exact)));
        QFile bad(dir.filePath("bad.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(R"({"copies": 5, "rotate": 10})");
        bad.close();
        QVERIFY(other.loadJson(bad.fileName()).contains("unknown augmentation setting"));
        QCOMPARE(other.policy().copies, 3);  // unchanged by the failed load
    }

    void copyOutcomesAverageEachCopysPasses() {
        // 2 copies x 2 passes x 3 classes, by hand.
        ImageResult result;
        result.ok = true;
        result.label = 2;
        result.summary.classes = 3;
        result.summary.argmaxPrediction = 0;
        result.rawSamples = {0.6f, 0.3f, 0.1f, 0.8f, 0.1f, 0.1f,   // copy 1: mean .7 .2 .1
                             0.2f, 0.1f, 0.7f, 0.4f, 0.1f, 0.5f};  // copy 2: mean .3 .1 .6
        const auto outcomes = copyOutcomes(result, 2);
        QCOMPARE(int(outcomes.size()), 2);
        QCOMPARE(outcomes[0].predicted, 0);
        QVERIFY(std::abs(outcomes[0].predictedProbability - 0.7) < 1e-6);
        QVERIFY(std::abs(outcomes[0].trueClassProbability - 0.1) < 1e-6);
        QCOMPARE(outcomes[1].predicted, 2);
        QVERIFY(std::abs(outcomes[1].predictedProbability - 0.6) < 1e-6);
        QVERIFY(std::abs(outcomes[1].referenceProbability - 0.3) < 1e-6);
        QVERIFY(copyOutcomes(result, 5).empty());  // 12 values do not split into 5 copies

        AugmentedCopiesGrid grid;
        grid.setCopies(std::vector<AugmentedCopy>(2));
        grid.setOutcomes(outcomes, {"a", "b", "c"}, 0);
        QCOMPARE(grid.disagreeing(), 1);
        QVERIFY(grid.tileToolTip(1).contains("predicts c (0.600)"));
        QVERIFY(grid.tileToolTip(1).contains("a (the image's prediction) gets 0.300"));
        grid.resize(400, 10);
        QVERIFY(grid.heightForWidth(400) > 84);
        QCOMPARE(grid.tileAt(QPoint(20, 20)), 0);
    }

    void twinRunWithAugmentationShowsSpreadAndEachCopysPrediction() {
        MainWindow window;
        window.show();
        QVERIFY(runTwin(window, {kSamples}, demoPolicy(12)));
        QCOMPARE(window.runToolbar()->augmentAction()->text(), QString("TTA ×12"));
        ResultsModel* results = window.results();
        QCOMPARE(results->rowCount(), 300);
        int withSpread = 0;
        for (int row = 0; row < results->rowCount(); ++row) {
            const ImageResult* r = results->result(row);
            QVERIFY(r && r->ok);
            QCOMPARE(r->summary.samples, 12);
            withSpread += r->summary.mutualInformation > 1e-4;
        }
        // MC dropout gives this model no spread at all; augmentation gives most images some.
        QVERIFY2(withSpread > 150, qPrintable(QString::number(withSpread)));

        window.showCentralTab(CentralTabs::CopiesTab);
        // The most uncertain image, as a user would click it.
        int row = 0;
        for (int i = 1; i < results->rowCount(); ++i) {
            if (results->result(i)->summary.predictiveEntropy >
                results->result(row)->summary.predictiveEntropy) {
                row = i;
            }
        }
        window.browser()->selectSourceRow(row);
        QTest::qWait(50);
        AugmentedCopiesView* view = window.augmentedCopies();
        QCOMPARE(view->grid()->copyCount(), 12);
        QCOMPARE(view->plot()->barCount(), 12);
        const auto outcomes = copyOutcomes(*results->result(row), 12);
        QCOMPARE(int(outcomes.size()), 12);
        QCOMPARE(view->grid()->disagreeing(),
                 int(std::count_if(outcomes.begin(), outcomes.end(), [&](const CopyOutcome& o) {
                     return o.predicted != results->result(row)->summary.argmaxPrediction;
                 })));
        // The mean over the copies is the image's mean: the summary and the copies agree.
        const int overall = results->result(row)->summary.argmaxPrediction;
        double mean = 0;
        for (const auto& o : outcomes) {
            mean += o.referenceProbability / 12;
        }
        QVERIFY(std::abs(mean - results->result(row)->summary.mean[overall]) < 1e-5);
        QVERIFY(view->title()->text().contains("TTA x12"));
    }

    void policyPersistsAndTheEditorOpensFromTheToolbar() {
        {
            MainWindow window;
            window.setAugmentPolicy(demoPolicy(9));
        }
        MainWindow window;
        QCOMPARE(window.runToolbar()->options().augment.copies, 9);
        window.runToolbar()->augmentAction()->trigger();
        auto* dialog = window.findChild<AugmentPolicyDialog*>();
        QVERIFY(dialog);
        QCOMPARE(dialog->policy().copies, 9);
        dialog->findChildren<QSpinBox*>().front()->setValue(0);  // copies: off
        dialog->accept();
        QVERIFY(!window.runToolbar()->options().augment.enabled());
        QCOMPARE(window.runToolbar()->augmentAction()->text(), QString("TTA: off"));
    }

    void thresholdsFromTtaMeansRecordThePolicy() {
        MainWindow window;
        QVERIFY(runTwin(window, {kBags}, demoPolicy(4)));
        QSignalSpy validated(&window, &MainWindow::validationRunFinished);
        window.startValidationRun({kValidation});
        QVERIFY(validated.wait(120000));
        ThresholdsView* view = window.thresholdStudy();
        QLabel* source = view->findChild<QLabel*>("thresholdSource");
        QVERIFY(source);
        QVERIFY2(source->text().contains("means over TTA x4"), qPrintable(source->text()));
        QTemporaryDir dir;
        const QString path = dir.filePath("t.json");
        QCOMPARE(view->saveJson(path), QString());
        const ThresholdsFile file = loadThresholds(
            path.toStdString(), ModelBundle::load(kTwin.toStdString()).meta().classes);
        QCOMPARE(file.augmentation.copies, 4);
        QCOMPARE(file.method, std::string("deterministic"));
        QCOMPARE(file.samples, 1);
    }
};

QTEST_MAIN(AugmentationViewsTest)
#include "AugmentationViewsTest.moc"
