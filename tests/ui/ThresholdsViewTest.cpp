// The threshold study in the window: a validation run, thresholds as the core defines them
// (recomputed here from the engine's own results), the before/after study of the current run,
// the slider, the browser's threshold-rule column and filter, JSON save/load, and the gamma
// sweep's plots, curves and tables following the thresholds in force.
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "StdStrings.h"
#include "UiTestSupport.h"
#include "data/FolderScan.h"
#include "engine/McEngine.h"
#include "io/CsvReader.h"
#include "io/ThresholdsFile.h"
#include "metrics/Conformal.h"
#include "metrics/Thresholds.h"
#include "model/ModelBundle.h"
#include "model/ResultsFilterModel.h"
#include "model/ResultsModel.h"
#include "plots/ClassHistogramsPlot.h"
#include "plots/ClassProbabilityPlot.h"
#include "plots/GammaCurvesPlot.h"
#include "plots/SetSizePlot.h"
#include "plots/ThresholdSweepPlot.h"
#include "views/BrowserView.h"
#include "views/ConformalView.h"
#include "views/GammaSweepView.h"
#include "views/MainWindow.h"
#include "views/RunToolbar.h"
#include "views/ThresholdsView.h"

using namespace ue;
using namespace ue::ui;

namespace {
const QString kModel = UE_SOURCE_DIR "/models/fmnist-mc-cnn.pt";
const QString kTest = UE_SOURCE_DIR "/resources/samples/fashion-mnist";
const QString kValidation = UE_SOURCE_DIR "/resources/samples/fashion-mnist-val";

// numpy.percentile's default (linear interpolation between order statistics).
double percentile(std::vector<float> values, double q) {
    std::sort(values.begin(), values.end());
    const double position = q / 100.0 * double(values.size() - 1);
    const std::size_t below = std::size_t(position);
    const std::size_t above = std::min(below + 1, values.size() - 1);
    return values[below] + (position - double(below)) * (values[above] - values[below]);
}

// Where `plot` draws its dashed (threshold) lines, sorted: a per-row mark, or a line across.
std::vector<double> dashedLinesOf(const QCustomPlot& plot) {
    std::vector<double> xs;
    for (int i = 0; i < plot.itemCount(); ++i) {
        if (auto* line = qobject_cast<QCPItemLine*>(plot.item(i));
            line && line->pen().style() == Qt::DashLine) {
            xs.push_back(line->start->coords().x());
        } else if (auto* across = qobject_cast<QCPItemStraightLine*>(plot.item(i));
                   across && across->pen().style() == Qt::DashLine) {
            xs.push_back(across->point1->coords().x());
        }
    }
    std::sort(xs.begin(), xs.end());
    return xs;
}

// The thresholds of `shown` classes, sorted, as dashedLinesOf reads them.
std::vector<double> thresholdsOf(const std::vector<int>& shown, const std::vector<float>& values) {
    std::vector<double> xs;
    for (int cls : shown) {
        xs.push_back(values.at(std::size_t(cls)));
    }
    std::sort(xs.begin(), xs.end());
    return xs;
}

// A CSV's rows after its header, each as column name -> cell (a text cell's value).
std::vector<std::map<std::string, std::string>> readCsv(const QString& path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    CsvReader reader(in);
    CsvRecord record;
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    while (reader.next(record)) {
        if (header.empty()) {
            header = record.cells;
            continue;
        }
        std::map<std::string, std::string>& row = rows.emplace_back();
        for (std::size_t i = 0; i < header.size() && i < record.cells.size(); ++i) {
            row[header[i]] = csvTextValue(record.cells[i]);
        }
    }
    return rows;
}

// Loads per-class thresholds into the window through a file, as the user's Load… does.
class ThresholdsFiles {
  public:
    explicit ThresholdsFiles(MainWindow& window) : window_(window) {}
    QString load(const std::vector<float>& values) {
        ThresholdsFile file;
        file.classes = toStdStrings(window_.results()->classes());
        file.values.thresholds = values;
        const QString path = dir_.filePath("t.json");
        saveThresholds(file, path.toStdString());
        return window_.loadThresholds(path);
    }

  private:
    MainWindow& window_;
    QTemporaryDir dir_;
};

// Two sets of per-class thresholds that differ for every class: rising and falling with it.
std::pair<std::vector<float>, std::vector<float>> twoThresholdSets(qsizetype classes) {
    std::vector<float> first, second;
    for (int c = 0; c < int(classes); ++c) {
        first.push_back(0.05f * float(c + 1));
        second.push_back(0.9f - 0.04f * float(c));
    }
    return {first, second};
}

// The curve of `plot` named `name`, or -1.
int curveNamed(const GammaCurvesPlot& plot, const QString& name) {
    for (int i = 0; i < plot.curveCount(); ++i) {
        if (plot.curveName(i) == name) {
            return i;
        }
    }
    return -1;
}
}  // namespace

class ThresholdsViewTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // A validation or OOD run that cannot start (an empty folder) must still end for whoever
    // waits on it, with the reason on the status bar, and leave the window ready for the next.
    void failedAuxiliaryRunsReachTheirListeners() {
        MainWindow window;
        QVERIFY(runDemoToCompletion(window, {UE_SOURCE_DIR "/resources/samples/fashion-mnist/Bag"},
                                    Method::Deterministic, 1, 0));
        QTemporaryDir empty;
        QSignalSpy validated(&window, &MainWindow::validationRunFinished);
        window.startValidationRun({empty.path()});
        QVERIFY(validated.wait(30000));
        QVERIFY(window.statusBar()->currentMessage().contains("No images found"));
        QSignalSpy oodDone(&window, &MainWindow::oodRunFinished);
        window.startOodRun({empty.path()});
        QVERIFY(oodDone.wait(30000));
        QSignalSpy swept(&window, &MainWindow::gammaSweepFinished);
        window.setInputs({empty.path()});
        window.startGammaSweep({0.5, 1.0});
        QVERIFY(swept.wait(30000));
        QVERIFY(!window.session()->isRunning());
    }

    void validationRunGivesThresholdsAndTheStudy() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kTest}, Method::Deterministic, 1, 0));
        ThresholdsView* view = window.thresholdStudy();
        QVERIFY(view->thresholds().empty());
        QVERIFY(window.browser()->table()->isColumnHidden(ResultsModel::ThresholdRuleColumn));

        QSignalSpy changed(view, &ThresholdsView::thresholdsChanged);
        QSignalSpy validated(&window, &MainWindow::validationRunFinished);
        window.startValidationRun({kValidation});
        QVERIFY(validated.wait(120000));
        QCOMPARE(view->validationImages(), std::size_t(500));
        QVERIFY(changed.count() >= 1);
        QVERIFY(!window.browser()->table()->isColumnHidden(ResultsModel::ThresholdRuleColumn));

        // The validation images through the core, and numpy's percentile by hand.
        const auto bundle = ModelBundle::load(kModel.toStdString());
        const auto scan = scanInputs({kValidation.toStdString()}, bundle.meta().classes);
        QCOMPARE(scan.images.size(), std::size_t(500));
        RunOptions options;
        options.method = Method::Deterministic;
        std::vector<std::vector<float>> correct(10);
        McEngine(bundle).run(scan.images, options, [&](ImageResult&& r) {
            if (r.ok && r.summary.argmaxPrediction == r.label) {
                correct[std::size_t(r.label)].push_back(r.summary.mean[std::size_t(r.label)]);
            }
        });
        auto expectThresholdsAt = [&](double q) {
            const std::vector<float>& thresholds = view->thresholds();
            QCOMPARE(thresholds.size(), std::size_t(10));
            for (std::size_t c = 0; c < 10; ++c) {
                QVERIFY2(std::abs(thresholds[c] - percentile(correct[c], q)) < 1e-5,
                         qPrintable(QString("class %1 at q %2").arg(c).arg(q)));
            }
        };
        QCOMPARE(view->percentile(), 10.0);
        expectThresholdsAt(10);

        // The study of the current run, counted here with thresholdRule().
        auto expectStudy = [&](ThresholdOutcome& seen) {
            std::size_t images = 0, correctBefore = 0, covered = 0, coveredCorrect = 0;
            for (int row = 0; row < window.results()->rowCount(); ++row) {
                const ImageResult* r = window.results()->result(row);
                const bool right = r->summary.argmaxPrediction == r->label;
                const bool kept = thresholdRule(r->summary, view->thresholds()) != kUnclassified;
                ++images;
                correctBefore += right;
                covered += kept;
                coveredCorrect += kept && right;
            }
            const ThresholdOutcome& all = view->study().overall;
            QCOMPARE(all.images, images);
            QCOMPARE(all.correct, correctBefore);
            QCOMPARE(all.covered, covered);
            QCOMPARE(all.coveredCorrect, coveredCorrect);
            // The browser's "unclassified" now follows the threshold rule.
            window.browser()->filter()->setOnlyUnclassified(true);
            QCOMPARE(std::size_t(window.browser()->filter()->rowCount()), images - covered);
            window.browser()->filter()->setOnlyUnclassified(false);
            seen = all;
        };
        ThresholdOutcome at10;
        expectStudy(at10);
        QVERIFY(at10.coverage() < 1.0);
        QVERIFY(at10.accuracyAfter() > at10.accuracyBefore());
        QCOMPARE(view->table()->rowCount(), 11);
        QCOMPARE(view->table()->item(10, 0)->text(), QString("all"));
        QCOMPARE(view->sweep()->curveCount(), 3);

        // The same validation run calibrated the conformal sets: q-hat and coverage by hand.
        ConformalView* conformal = window.conformal();
        QCOMPARE(conformal->calibrationImages(), std::size_t(500));
        for (ConformalMethod method : {ConformalMethod::Lac, ConformalMethod::Aps}) {
            conformal->setMethod(method);
            conformal->setAlpha(0.1);
            std::vector<double> scores;
            McEngine(bundle).run(scan.images, options, [&](ImageResult&& r) {
                scores.push_back(conformalScore(method, r.summary.mean, r.label));
            });
            std::sort(scores.begin(), scores.end());
            const double qhat = scores[std::size_t(std::ceil(501 * 0.9)) - 1];  // 451st
            QVERIFY(std::abs(conformal->qhat() - qhat) < 1e-6);
            std::size_t covered = 0, members = 0;
            for (int row = 0; row < 300; ++row) {
                const ImageResult* r = window.results()->result(row);
                const auto set = predictionSet(method, r->summary.mean, conformal->qhat());
                covered += std::find(set.begin(), set.end(), r->label) != set.end();
                members += set.size();
            }
            QCOMPARE(conformal->evaluation().images(), std::size_t(300));
            QCOMPARE(conformal->evaluation().coverage(), double(covered) / 300.0);
            QCOMPARE(conformal->evaluation().meanSetSize(), double(members) / 300.0);
            QCOMPARE(conformal->sizes()->shares().size(), 11);
        }
        // The inspector shows the selected image's set.
        window.browser()->selectSourceRow(0);
        QVERIFY(window.findChild<QTableWidget*>() != nullptr);
        bool shown = false;
        for (QTableWidget* table : window.findChildren<QTableWidget*>()) {
            for (int row = 0; row < table->rowCount(); ++row) {
                if (table->item(row, 0) &&
                    table->item(row, 0)->text().startsWith("Conformal set")) {
                    shown = true;
                }
            }
        }
        QVERIFY(shown);
        QTemporaryDir setsDir;
        QCOMPARE(conformal->writeSetsCsv(setsDir.filePath("sets.csv")), QString());

        // A higher q rejects more and stays consistent.
        view->setPercentile(30);
        expectThresholdsAt(30);
        ThresholdOutcome at30;
        expectStudy(at30);
        QVERIFY(at30.covered < at10.covered);
        const QModelIndex cell = window.results()->index(0, ResultsModel::ThresholdRuleColumn);
        QVERIFY(!window.results()->data(cell, Qt::DisplayRole).toString().isEmpty());

        // Saved and loaded back: the same thresholds, and the study is unchanged.
        QTemporaryDir dir;
        const QString json = dir.filePath("t.json");
        QCOMPARE(view->saveJson(json), QString());
        // The validation run's seed is recorded, as the CLI records its own.
        QCOMPARE(loadThresholds(json.toStdString(), toStdStrings(window.results()->classes())).seed,
                 std::optional<std::uint64_t>(0));
        const std::vector<float> saved = view->thresholds();
        view->setPercentile(5);
        QVERIFY(view->thresholds() != saved);
        QCOMPARE(window.loadThresholds(json), QString());
        QCOMPARE(view->thresholds(), saved);
        QCOMPARE(window.statusBar()->currentMessage(), QString("Per-class thresholds from t.json"));
        // Computed for another model by its name, with another method: applied, as the CLI
        // applies them, and the status bar says how the runs differ.
        ThresholdsFile foreign =
            loadThresholds(json.toStdString(), toStdStrings(window.results()->classes()));
        foreign.model = "another-model";
        foreign.method = "mc-dropout";
        saveThresholds(foreign, dir.filePath("foreign.json").toStdString());
        QCOMPARE(window.loadThresholds(dir.filePath("foreign.json")), QString());
        QCOMPARE(window.statusBar()->currentMessage(),
                 QString("Per-class thresholds from foreign.json, which were computed for model "
                         "\"another-model\", this run uses model \"%1\"; computed with "
                         "mc-dropout, this run uses deterministic")
                     .arg("fmnist-mc-cnn"));
        QCOMPARE(window.loadThresholds(json), QString());
        QCOMPARE(view->percentile(), 30.0);
        QCOMPARE(view->study().overall.covered, at30.covered);
        const QString csv = dir.filePath("study.csv");
        QCOMPARE(view->writeStudyCsv(csv), QString());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()).split("\r\n", Qt::SkipEmptyParts).size(), 12);

        // Another model's thresholds are refused; a new model clears them.
        QFile other(dir.filePath("other.json"));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.write(R"({"format": "uncertainty-explorer-thresholds/1", "model": "x",
                        "classes": ["a", "b"], "percentile": 10, "thresholds": [0.5, 0.5]})");
        other.close();
        QVERIFY(!window.loadThresholds(other.fileName()).isEmpty());
        QCOMPARE(view->thresholds(), saved);
        QSignalSpy ready(&window, &MainWindow::modelReady);
        window.openModel(kModel);
        QVERIFY(ready.wait(30000));
        QVERIFY(view->thresholds().empty());
        QVERIFY(window.results()->thresholds().empty());
    }

    // The sweep's probabilities do not depend on the thresholds: its histograms and bars at γ
    // draw those the user sets after it ran, as the inspector does, without another sweep.
    void gammaSweepDrawsTheThresholdsInForce() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kTest + "/Bag"}, Method::Deterministic, 1, 0));
        window.browser()->selectSourceRow(3);
        const QStringList classes = window.results()->classes();
        ThresholdsFiles files(window);
        const auto load = [&](const std::vector<float>& values) { return files.load(values); };
        const auto [first, second] = twoThresholdSets(classes.size());
        GammaSweepView* sweep = window.gammaSweep();
        QSignalSpy swept(&window, &MainWindow::gammaSweepFinished);

        // One pass per image: bars, the median rule's 0.5 until thresholds are loaded.
        window.startGammaSweep({0.5, 1.0});
        QVERIFY(swept.wait(120000));
        sweep->pickGamma(0);
        QVERIFY(sweep->showsProbabilities());
        const ClassProbabilityPlot* bars = sweep->probabilities();
        QCOMPARE(dashedLinesOf(*bars), std::vector<double>{0.5});
        QCOMPARE(load(first), QString());
        QCOMPARE(dashedLinesOf(*bars), thresholdsOf(bars->shownClasses(), first));
        for (int row = 0; row < int(bars->shownClasses().size()); ++row) {
            QCOMPARE(bars->thresholdOf(row), double(first[std::size_t(bars->shownClasses()[row])]));
        }
        QVERIFY(bars->key().contains("each class's threshold"));

        // Many passes: histograms, swept with the first thresholds and shown with the second.
        window.runToolbar()->setOptions(Method::McDropout, 8, 0);
        window.startGammaSweep({0.5, 1.0});
        QVERIFY(swept.wait(120000));
        QCOMPARE(sweep->data().thresholds(), first);
        QVERIFY(!sweep->showsProbabilities());
        const ClassHistogramsPlot* histograms = sweep->histograms();
        QCOMPARE(dashedLinesOf(*histograms), thresholdsOf(histograms->shownClasses(), first));
        QCOMPARE(load(second), QString());
        QCOMPARE(dashedLinesOf(*histograms), thresholdsOf(histograms->shownClasses(), second));
        for (int panel = 0; panel < int(histograms->shownClasses().size()); ++panel) {
            QCOMPARE(histograms->thresholdOf(panel),
                     double(second[std::size_t(histograms->shownClasses()[panel])]));
        }
        // And at another γ, picked after the change.
        sweep->pickGamma(1);
        QCOMPARE(dashedLinesOf(*histograms), thresholdsOf(histograms->shownClasses(), second));
        QCOMPARE(swept.count(), 2);
    }

    // The sweep's set-level threshold rule, its curves and both its tables follow thresholds set
    // after it ran, as its histograms do: counted here from the summaries it keeps, with
    // thresholdRule() and not the sweep's accumulator.
    void gammaSweepMeasuresTheThresholdsInForce() {
        MainWindow window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {kTest + "/Bag", kTest + "/Shirt"},
                                    Method::Deterministic, 1, 0));
        const QStringList classes = window.results()->classes();
        QTemporaryDir dir;  // the exported CSVs
        ThresholdsFiles files(window);
        const auto load = [&](const std::vector<float>& values) { return files.load(values); };
        const auto [first, second] = twoThresholdSets(classes.size());
        QCOMPARE(load(first), QString());
        GammaSweepView* sweep = window.gammaSweep();
        const GammaSweepData& data = sweep->data();
        QSignalSpy swept(&window, &MainWindow::gammaSweepFinished);
        window.startGammaSweep({0.5, 1.0, 2.0});
        QVERIFY(swept.wait(120000));
        QCOMPARE(data.imageCount(), 60);
        const std::size_t gammas = data.gammas().size();

        const auto coverage = [&](const std::vector<float>& thresholds, std::size_t g) {
            std::size_t labelled = 0, covered = 0;
            for (int i = 0; i < data.imageCount(); ++i) {
                const GammaSweepData::Image& image = data.image(i);
                if (image.ok[g] && image.label >= 0) {
                    ++labelled;
                    covered += thresholdRule(image.atGamma[g], thresholds) != kUnclassified;
                }
            }
            return double(covered) / double(labelled);
        };
        // The set table's threshold_rule_coverage per γ, and the set plot's curve of it.
        const auto exportedCoverage = [&] {
            const QString path = dir.filePath("sweep.csv");
            std::vector<double> values;
            if (!data.writeSetCsv(path).isEmpty()) {
                return values;
            }
            for (const auto& row : readCsv(path)) {
                values.push_back(std::stod(row.at("threshold_rule_coverage")));
            }
            return values;
        };
        const auto expectCoverage = [&](const std::vector<float>& thresholds) {
            const std::vector<double> exported = exportedCoverage();
            QCOMPARE(exported.size(), gammas);
            const int curve = curveNamed(*sweep->setCurves(), "threshold rule: coverage");
            QVERIFY(curve >= 0);
            QVERIFY(curveNamed(*sweep->setCurves(), "threshold rule: accuracy of covered") >= 0);
            const QVector<double> drawn = sweep->setCurves()->curveValues(curve);
            for (std::size_t g = 0; g < gammas; ++g) {
                QVERIFY(std::abs(exported[g] - coverage(thresholds, g)) < 1e-8);
                QCOMPARE(drawn[int(g)], coverage(thresholds, g));
            }
        };
        // At the start: the thresholds the sweep ran with.
        expectCoverage(first);
        QCOMPARE(sweep->setCurves()->curveCount(), 7);

        // Set later, without another sweep.
        QCOMPARE(load(second), QString());
        QCOMPARE(swept.count(), 1);
        QCOMPARE(data.thresholds(), second);
        expectCoverage(second);
        bool differs = false;
        for (std::size_t g = 0; g < gammas; ++g) {
            differs = differs || coverage(first, g) != coverage(second, g);
        }
        QVERIFY(differs);

        // The per-image table's threshold rule, image by image at every γ.
        const QString perImage = dir.filePath("images.csv");
        QCOMPARE(data.writePerImageCsv(perImage), QString());
        const auto rows = readCsv(perImage);
        QCOMPARE(rows.size(), std::size_t(data.imageCount()) * gammas);
        std::size_t unclassified = 0;
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const GammaSweepData::Image& image = data.image(int(r / gammas));
            QVERIFY(image.ok[r % gammas]);
            const int predicted = thresholdRule(image.atGamma[r % gammas], second);
            unclassified += predicted == kUnclassified;
            const QString expected =
                predicted == kUnclassified ? QString("unclassified") : data.classes().at(predicted);
            QCOMPARE(QString::fromStdString(rows[r].at("pred_threshold_rule")), expected);
        }
        QVERIFY(unclassified > 0 && unclassified < rows.size());

        // Another model's thresholds (other classes) are not applied: the sweep's own return.
        sweep->setThresholds({0.5f, 0.5f}, {"a", "b"});
        QCOMPARE(data.thresholds(), first);
        expectCoverage(first);
        // None: the median rule alone, and no threshold rule to draw or export.
        sweep->setThresholds({}, classes);
        QCOMPARE(sweep->setCurves()->curveCount(), 5);
        QCOMPARE(curveNamed(*sweep->setCurves(), "threshold rule: coverage"), -1);
        QCOMPARE(data.writeSetCsv(dir.filePath("none.csv")), QString());
        for (const auto& row : readCsv(dir.filePath("none.csv"))) {
            QCOMPARE(row.at("threshold_rule_coverage"), std::string());
        }
    }
};

QTEST_MAIN(ThresholdsViewTest)
#include "ThresholdsViewTest.moc"
