// The bundled ensemble, heteroscedastic and Bayes-by-backprop models opened and run from the
// window: the toolbar, status bar, inspector and ranking show what is particular to each.
#include <QComboBox>
#include <QLabel>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableWidget>
#include <QtTest>

#include "UiTestSupport.h"
#include "model/ResultsModel.h"
#include "plots/UncertaintySplitBar.h"
#include "views/BrowserView.h"
#include "views/InspectorView.h"
#include "views/RankingView.h"

using namespace ue;
using namespace ue::ui;

namespace {
const QString kModels = UE_SOURCE_DIR "/models/";
const QString kSamples = UE_SOURCE_DIR "/resources/samples/fashion-mnist";

// The inspector's facts as label -> value.
QMap<QString, QString> facts(InspectorView* inspector) {
    auto* table = inspector->findChild<QTableWidget*>();
    QMap<QString, QString> out;
    for (int r = 0; table && r < table->rowCount(); ++r) {
        out[table->item(r, 0)->text().trimmed()] = table->item(r, 1)->text();
    }
    return out;
}

QString statusText(MainWindow& window) {
    QStringList texts;
    for (auto* label : window.statusBar()->findChildren<QLabel*>()) {
        texts << label->text();
    }
    return texts.join(" ");
}
}  // namespace

class MethodsViewTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void droppingAnEnsembleManifestWithAFolderRunsEveryMember() {
        DropTarget window;
        window.show();
        window.runToolbar()->setOptions(Method::Deterministic, 1, 0);
        QSignalSpy finished(&window, &MainWindow::runFinished);
        QVERIFY(window.drop({kModels + "fmnist-ensemble.json", kSamples + "/Coat"}));
        QVERIFY(finished.wait(120000));
        QCOMPARE(window.results()->rowCount(), 30);
        QVERIFY(statusText(window).contains("deep ensemble of 5 members"));
        window.browser()->selectSourceRow(3);
        const auto shown = facts(window.inspector());
        QCOMPARE(shown.value("Samples"), QString("5"));  // one pass per member
        const ImageResult* result = window.results()->result(3);
        QVERIFY(result && result->ok);
        auto* split = window.inspector()->split();
        QCOMPARE(split->aleatoric(), result->summary.expectedEntropy);
        QCOMPARE(split->epistemic(), result->summary.mutualInformation);
        QVERIFY(result->summary.mutualInformation > 0);  // the members disagree a little
    }

    void heteroscedasticModelShowsKAndItsLogitVariance() {
        MainWindow window;
        window.show();
        auto* k = window.runToolbar()->findChild<QSpinBox*>("logitSamples");
        QVERIFY(k);
        QSignalSpy ready(&window, &MainWindow::modelReady);
        window.openModel(kModels + "fmnist-hetero-cnn.pt");
        QVERIFY(ready.wait(30000));
        QVERIFY(window.runToolbar()->showsLogitSamples());
        k->setValue(20);
        QCOMPARE(window.runToolbar()->options().logitSamples, 20);
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.runToolbar()->setOptions(Method::McDropout, 10, 1);
        window.setInputs({kSamples + "/Bag"});
        window.startRun();
        QVERIFY(finished.wait(120000));
        window.browser()->selectSourceRow(0);
        const auto shown = facts(window.inspector());
        const ImageResult* result = window.results()->result(0);
        QVERIFY(result && result->summary.hasLogitVariance);
        QCOMPARE(shown.value("Logit variance (aleatoric)"),
                 QString::number(result->summary.logitVariance, 'f', 4));
        // Another model hides K again.
        window.openModel(kModels + "fmnist-mc-cnn.pt");
        QVERIFY(ready.wait(30000));
        QVERIFY(!window.runToolbar()->showsLogitSamples());
    }

    void bayesByBackpropIsStochasticWithoutDropoutAndRanksByEpistemic() {
        MainWindow window;
        window.show();
        window.runToolbar()->setOptions(Method::McDropout, 20, 2);
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.setInputs({kSamples + "/Shirt", kSamples + "/Trouser"});
        window.setAutoRun(true);
        window.openModel(kModels + "fmnist-bbb-cnn.pt");
        QVERIFY(finished.wait(120000));
        QVERIFY(statusText(window).contains("stochastic forward"));
        auto* ranking = window.ranking();
        auto* score = ranking->findChild<QComboBox*>();
        QVERIFY(score->findText("mutual information (epistemic)") >= 0);
        QVERIFY(score->findText("expected entropy (aleatoric)") >= 0);
        ranking->setScore(Score::MutualInformation);
        ranking->refresh();
        // Shirts are the classic confusable class; trousers are easy: the most epistemically
        // uncertain image should be a shirt.
        double shirt = 0;
        double trouser = 0;
        for (int r = 0; r < window.results()->rowCount(); ++r) {
            const ImageResult* result = window.results()->result(r);
            QVERIFY(result && result->ok);
            QVERIFY(result->summary.mutualInformation > 0);
            (window.results()->entry(r).label == 6 ? shirt : trouser) +=
                result->summary.mutualInformation;
        }
        QVERIFY2(shirt > trouser, qPrintable(QString("%1 vs %2").arg(shirt).arg(trouser)));
    }
};

QTEST_MAIN(MethodsViewTest)
#include "MethodsViewTest.moc"
