#include "views/MainWindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMimeData>
#include <QTableView>

#include "PlainText.h"
#include "StdStrings.h"
#include "data/FolderScan.h"
#include "data/ImageLoader.h"
#include "io/ThresholdsFile.h"
#include "model/EnsembleManifest.h"
#include "model/PathText.h"
#include "model/ResultsFilterModel.h"
#include "model/ResultsModel.h"
#include "model/ThumbnailCache.h"
#include "plots/ClassHistogramsPlot.h"
#include "views/AnalysisTabs.h"
#include "views/AugmentPolicyDialog.h"
#include "views/AugmentedCopiesView.h"
#include "views/BrowserView.h"
#include "views/CentralTabs.h"
#include "views/ComparisonView.h"
#include "views/ConformalView.h"
#include "views/ErrorListDialog.h"
#include "views/GammaSweepView.h"
#include "views/InspectorView.h"
#include "views/MethodListEditor.h"
#include "views/OodView.h"
#include "views/ResultsExport.h"
#include "views/RunController.h"
#include "views/RunStatusBar.h"
#include "views/RunToolbar.h"
#include "views/ThresholdsView.h"
#include "views/WindowMenus.h"
#include "views/WindowPlacement.h"

namespace ue::ui {

namespace {
bool isModelFile(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == "pt" || suffix == "pth" || suffix == "ts" || suffix == "torchscript" ||
           (suffix == "json" && declaresEnsembleFormat(pathBytes(path)));
}
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      session_(new InferenceSession(this)),
      thumbnails_(new ThumbnailCache(64, this)),
      results_(new ResultsModel(thumbnails_, this)) {
    setObjectName("mainWindow");
    setAcceptDrops(true);
    toolbar_ = new RunToolbar(this);
    addToolBar(Qt::TopToolBarArea, toolbar_);
    toolbar_->setOptions(settings_.method(), settings_.samples(), settings_.seed());
    // Process-wide, so thumbnails and previews refuse the same oversized images as runs do.
    setMaxImagePixels(settings_.maxImagePixels());

    central_ = new CentralTabs;
    connect(central_, &CentralTabs::copiesShown, this, [this] {
        if (browser_) {
            showSelected(browser_->currentSourceRow());
        }
    });
    setAugmentPolicy(settings_.augmentPolicy(), false);
    setCentralWidget(central_);
    browser_ = new BrowserView(results_);
    analysis_ = new AnalysisTabs(results_, thumbnails_);
    buildDocks();
    menus_ = new WindowMenus(this, settings_);

    status_ = new RunStatusBar(this);
    setStatusBar(status_);
    status_->setMethod(toolbar_->options().method);
    connect(toolbar_, &RunToolbar::methodChanged, status_, &RunStatusBar::setMethod);
    connect(status_, &RunStatusBar::errorsRequested, this,
            [this] { ErrorListDialog(errorList(), this).exec(); });

    refreshTimer_.setInterval(30);  // coalesce streamed results into one redraw per 30 ms
    refreshTimer_.setSingleShot(true);
    connect(&refreshTimer_, &QTimer::timeout, this, &MainWindow::refreshViews);

    connect(toolbar_->openModelAction(), &QAction::triggered, menus_, &WindowMenus::chooseModel);
    connect(toolbar_->openImagesAction(), &QAction::triggered, this,
            [this] { menus_->chooseImages(true); });
    connect(toolbar_, &RunToolbar::runRequested, this, &MainWindow::startRun);
    connect(toolbar_, &RunToolbar::cancelRequested, this, &MainWindow::cancelRun);
    connect(browser_, &BrowserView::currentImageChanged, this, &MainWindow::showSelected);
    connect(gammaSweep(), &GammaSweepView::sweepRequested, this, &MainWindow::startGammaSweep);
    const auto editAugmentation = [this] { augmentedCopies()->editPolicy(toolbar_->options()); };
    connect(toolbar_, &RunToolbar::augmentationRequested, this, editAugmentation);
    connect(augmentedCopies(), &AugmentedCopiesView::editPolicyRequested, this, editAugmentation);
    connect(augmentedCopies(), &AugmentedCopiesView::policyChosen, this,
            [this](const AugmentPolicy& policy) { setAugmentPolicy(policy); });
    connect(analysis_, &AnalysisTabs::rowsChosen, browser_, &BrowserView::showOnlyRows);
    connect(analysis_, &AnalysisTabs::imageActivated, browser_, &BrowserView::selectSourceRow);
    connect(analysis_, &AnalysisTabs::oodRequested, this, &MainWindow::startOodRun);
    connect(analysis_, &AnalysisTabs::validationRequested, this, &MainWindow::startValidationRun);
    connect(analysis_, &AnalysisTabs::thresholdsChanged, this, &MainWindow::applyThresholds);
    connect(analysis_, &AnalysisTabs::conformalChanged, this, [this] {
        const ConformalView* conformal = analysis_->conformal();
        if (conformal->isCalibrated()) {
            inspector()->setConformal(conformal->method(), conformal->qhat(), conformal->alpha());
        } else {
            inspector()->clearConformal();
        }
        showSelected(browser_->currentSourceRow());
    });
    connectSession();

    placeWindow(*this, settings_.windowGeometry(), settings_.windowState());
    updateStatus();
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
    auto* browserDock = new QDockWidget(tr("Images"), this);
    browserDock->setObjectName("browserDock");
    browserDock->setWidget(browser_);
    addDockWidget(Qt::LeftDockWidgetArea, browserDock);

    auto* analysisDock = new QDockWidget(tr("Analysis"), this);
    analysisDock->setObjectName("analysisDock");
    analysisDock->setWidget(analysis_);
    addDockWidget(Qt::RightDockWidgetArea, analysisDock);
}

void MainWindow::connectSession() {
    InferenceWorker* worker = session_->worker();
    connect(worker, &InferenceWorker::modelLoaded, this, [this](const ModelInfo& info) {
        modelName_ = QString::fromStdString(info.meta.name);
        const QStringList classes = toQStrings(info.meta.classes);
        results_->setClasses(classes);
        results_->clear();
        central_->setModel(info.meta.input, classes);
        // Thresholds belong to the previous model: this clears them everywhere.
        analysis_->setModel(modelName_, classes);
        analysis_->setScores(scoresFor(info.meta.output == OutputKind::LogitsLogvar));
        browser_->refreshClassFilters();
        status_->showModel(info);
        toolbar_->setHeteroscedastic(info.meta.output == OutputKind::LogitsLogvar);
        toolbar_->setCanRun(!inputs_.isEmpty());
        updateTitle();
        emit modelReady();
        if (autoRun_ && !inputs_.isEmpty()) {
            startRun();
        }
    });
    connect(worker, &InferenceWorker::modelFailed, this, [this](const QString& error) {
        status_->showNoModel();
        toolbar_->setCanRun(false);
        if (QApplication::platformName() != "offscreen") {
            warnPlainly(this, tr("Cannot open the model"), error);
        }
        status_->showMessage(error, 15000);
    });
    connect(worker, &InferenceWorker::imagesListed, this,
            [this](const SharedListing& images, const QStringList& problems) {
                inputProblems_ = problems;
                results_->setImages(images);
                browser_->sortNow();
                updateStatus();
            });
    connect(worker, &InferenceWorker::resultsReady, this, [this](const ResultBatch& batch) {
        results_->addResults(batch);
        viewsDirty_ = true;
        if (!refreshTimer_.isActive()) {
            refreshTimer_.start();
        }
        if (browser_->currentSourceRow() < 0 && !batch.isEmpty()) {
            browser_->selectSourceRow(int(batch.front().index));
        }
    });
    connect(worker, &InferenceWorker::progressed, toolbar_, &RunToolbar::showProgress);
    connect(worker, &InferenceWorker::runFinished, this, [this](const RunReport& report) {
        runPartial_ = report.cancelled;
        runAxes_ = SampleAxes{report.copies, report.members};
        toolbar_->showFinished(report);
        refreshViews();
        browser_->sortNow();
        emit runFinished();
    });
    runs_ =
        new RunController(session_, toolbar_, analysis_, gammaSweep(), comparison(), status_, this);
    connectComparison();
    connect(runs_, &RunController::failed, this, &MainWindow::refreshViews);
    connect(runs_, &RunController::mainFailed, this, &MainWindow::runFinished);
    connect(runs_, &RunController::gammaResultsArrived, this, [this] {
        sweepDirty_ = true;
        if (!refreshTimer_.isActive()) {
            refreshTimer_.start();
        }
    });
    connect(runs_, &RunController::gammaSweepFinished, this, [this] {
        sweepDirty_ = false;
        emit gammaSweepFinished();
    });
    connect(runs_, &RunController::oodFinished, this, &MainWindow::oodRunFinished);
    connect(runs_, &RunController::validationFinished, this, &MainWindow::validationRunFinished);
}

void MainWindow::connectComparison() {
    comparison()->setOodFallback([this] { return analysis_->ood()->outInputs(); });
    comparison()->methods()->setCurrentMethodSource([this]() -> std::optional<MethodSpec> {
        if (!session_->hasModel()) {
            return std::nullopt;
        }
        MethodSpec spec{modelName_.toStdString(), pathBytes(modelPath_), toolbar_->options(), {}};
        spec.label += " · " + describeMethod(spec.options);
        return spec;
    });
    connect(comparison(), &ComparisonView::runRequested, this,
            [this](const MethodList& methods, const QStringList& ood) {
                runs_->startComparison(inputs_, ood, methods);
            });
    connect(comparison(), &ComparisonView::cancelRequested, this, &MainWindow::cancelRun);
}

void MainWindow::openPaths(const QStringList& paths) {
    QStringList images;
    for (const QString& path : paths) {
        if (isModelFile(path)) {
            openModel(path);
        } else {
            images << path;
        }
    }
    if (!images.isEmpty()) {
        setInputs(images);
        if (session_->hasModel() && !session_->isRunning()) {
            startRun();
        } else {
            setAutoRun(true);
        }
    }
}

void MainWindow::openModel(const QString& path) {
    modelPath_ = absolutePathText(path);
    settings_.addRecentModel(modelPath_);
    settings_.setLastModelFolder(QFileInfo(modelPath_).path());
    menus_->rebuildRecent();
    status_->showLoading(QFileInfo(path).fileName());
    session_->loadModel(modelPath_);
}

void MainWindow::setInputs(const QStringList& inputs) {
    inputs_ = inputs;
    for (const QString& input : inputs) {
        settings_.addRecentInput(absolutePathText(input));
    }
    if (!inputs.isEmpty()) {
        settings_.setLastImageFolder(QFileInfo(absolutePathText(inputs.front())).path());
    }
    menus_->rebuildRecent();
    toolbar_->setCanRun(session_->hasModel());
    updateTitle();
}

void MainWindow::setAugmentPolicy(const AugmentPolicy& policy, bool remember) {
    toolbar_->setAugmentPolicy(policy);
    if (remember) {
        settings_.setAugmentPolicy(policy);
    }
    augmentedCopies()->setPolicy(policy);
    if (browser_ && browser_->currentSourceRow() >= 0) {
        showSelected(browser_->currentSourceRow());
    }
}

void MainWindow::setAutoRun(bool autoRun) {
    autoRun_ = autoRun;
}

void MainWindow::startRun() {
    if (!session_->hasModel() || inputs_.isEmpty() || session_->isRunning()) {
        return;
    }
    autoRun_ = false;
    RunOptions options = toolbar_->options();
    options.keepRawSamples = true;  // the worker drops them when they would not fit in memory
    settings_.setMethod(options.method);
    settings_.setSamples(options.samples);
    settings_.setSeed(options.seed);
    runPartial_ = false;
    inspectedRow_ = -1;
    central_->clearImage();
    augmentedCopies()->beginRun(options);
    runs_->startMain(inputs_, options);
}

void MainWindow::startGammaSweep(const QVector<double>& gammas) {
    if (runs_->startGammaSweep(inputs_, gammas, results_->classes(), thresholds_)) {
        showCentralTab(CentralTabs::GammaSweepTab);
    }
}

void MainWindow::startOodRun(const QStringList& outInputs) {
    runs_->startOod(outInputs, results_->analysedCount());
}

void MainWindow::startValidationRun(const QStringList& validationInputs) {
    runs_->startValidation(validationInputs);
}

void MainWindow::applyThresholds(const std::vector<float>& thresholds) {
    thresholds_ = thresholds;
    inspector()->setThresholds(thresholds);
    gammaSweep()->setThresholds(thresholds, results_->classes());
    results_->setThresholds(thresholds);
    browser_->table()->setColumnHidden(ResultsModel::ThresholdRuleColumn, thresholds.empty());
    browser_->filter()->invalidate();
    showSelected(browser_->currentSourceRow());
}

void MainWindow::showCentralTab(CentralTabs::Tab tab) {
    central_->setCurrentIndex(tab);
}

void MainWindow::cancelRun() {
    session_->cancel();
}

void MainWindow::showSelected(int sourceRow) {
    inspectedRow_ = sourceRow;
    inspectedComplete_ = false;
    if (sourceRow < 0 || sourceRow >= results_->rowCount()) {
        central_->clearImage();
        return;
    }
    const int label = results_->entry(sourceRow).label;
    central_->showImage(results_->entry(sourceRow), results_->result(sourceRow),
                        label == kNoLabel ? QString() : results_->className(label));
    inspectedComplete_ = results_->result(sourceRow) != nullptr;
}

void MainWindow::refreshViews() {
    if (!viewsDirty_ && !session_->isRunning()) {
        updateStatus();
    }
    viewsDirty_ = false;
    if (sweepDirty_) {
        sweepDirty_ = false;
        gammaSweep()->refresh();
    }
    // Redraw the inspector only when its image's result has just arrived.
    const int current = browser_->currentSourceRow();
    if (current >= 0 && !(current == inspectedRow_ && inspectedComplete_)) {
        showSelected(current);
    }
    analysis_->refresh(session_->isRunning());
    updateStatus();
}

void MainWindow::updateStatus() {
    status_->showCounts(results_->analysedCount(), results_->rowCount(), results_->failedCount(),
                        int(inputProblems_.size()), runPartial_);
}

void MainWindow::updateTitle() {
    // A window title takes "[*]" for its modified mark; "[*][*]" shows one as written.
    const auto literal = [](QString text) { return text.replace("[*]", "[*][*]"); };
    QString title = tr("Uncertainty Explorer");
    if (!modelName_.isEmpty()) {
        title += " — " + literal(shownPath(modelName_));
    }
    if (!inputs_.isEmpty()) {
        title += " — " + literal(shownFileName(inputs_.front())) +
                 (inputs_.size() > 1 ? tr(" and %1 more").arg(inputs_.size() - 1) : QString());
    }
    setWindowTitle(title);
}

QString MainWindow::loadThresholds(const QString& path) {
    if (!session_->hasModel()) {
        return tr("Open the model the thresholds were computed for first.");
    }
    if (QString error = analysis_->thresholds()->loadJson(path); !error.isEmpty()) {
        return error;
    }
    // Applied, as the CLI applies them, but another model's or method's means are on another
    // scale: the status bar says how the runs differ.
    const RunOptions options = toolbar_->options();
    std::string differences;
    for (const std::string& difference : analysis_->thresholds()->differencesFrom(
             {modelName_.toStdString(), toString(options.method), options.passesPerCopy(),
              options.augment})) {
        differences += (differences.empty() ? "" : "; ") + difference;
    }
    status_->showMessage(differences.empty()
                             ? tr("Per-class thresholds from %1").arg(shownFileName(path))
                             : tr("Per-class thresholds from %1, which were %2")
                                   .arg(shownFileName(path), shownMessage(differences)),
                         differences.empty() ? 10000 : 30000);
    return {};
}

QStringList MainWindow::errorList() const {
    return inputProblems_ + results_->errors();
}

QString MainWindow::exportResultsCsv(const QString& path) const {
    return writeResultsCsv(*results_, path);
}

QString MainWindow::exportRawSamples(const QString& path) const {
    return writeRawSamplesCsv(*results_, browser_->chosenSourceRows(), path, runAxes_);
}

CentralTabs::Tab MainWindow::currentCentralTab() const {
    return CentralTabs::Tab(central_->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // The session's destructor joins the worker; cancelling first makes that quick.
    session_->cancel();
    settings_.setWindowGeometry(saveGeometry());
    settings_.setWindowState(saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            paths << localPathOf(url);
        }
    }
    if (!paths.isEmpty()) {
        event->acceptProposedAction();
        openPaths(paths);
    }
}

}  // namespace ue::ui
