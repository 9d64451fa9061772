#include "views/RunController.h"

#include "views/ComparisonView.h"
#include "views/GammaSweepView.h"
#include "views/RunStatusBar.h"
#include "views/RunToolbar.h"
#include "worker/InferenceWorker.h"

namespace ue::ui {

RunController::RunController(InferenceSession* session, RunToolbar* toolbar, AnalysisTabs* analysis,
                             GammaSweepView* gammaSweep, ComparisonView* comparison,
                             RunStatusBar* status, QObject* parent)
    : QObject(parent),
      session_(session),
      toolbar_(toolbar),
      analysis_(analysis),
      gammaSweep_(gammaSweep),
      comparison_(comparison),
      status_(status) {
    InferenceWorker* worker = session_->worker();
    connect(worker, &InferenceWorker::runFailed, this, [this](const QString& error) {
        status_->showMessage(error, 15000);
        emit failed();
        // Whoever waits on the failed run hears that it ended.
        switch (kind_) {
            case Kind::Main:
                emit mainFailed();
                break;
            case Kind::GammaSweep:
                emit gammaSweepFinished();
                break;
            case Kind::Ood:
                analysis_->finishAuxiliary(AnalysisTabs::Auxiliary::Ood, RunReport{});
                emit oodFinished();
                break;
            case Kind::Validation:
                analysis_->finishAuxiliary(AnalysisTabs::Auxiliary::Validation, RunReport{});
                emit validationFinished();
                break;
            case Kind::Comparison:
                break;  // the worker ends every comparison with comparisonFinished
        }
    });
    connect(worker, &InferenceWorker::gammaResultsReady, this, [this](const GammaBatch& batch) {
        gammaSweep_->addResults(batch);
        emit gammaResultsArrived();
    });
    connect(worker, &InferenceWorker::gammaSweepFinished, this, [this](const RunReport& report) {
        toolbar_->showFinished(report);
        gammaSweep_->finish(report);
        emit gammaSweepFinished();
    });
    connect(worker, &InferenceWorker::auxiliaryResultsReady, this,
            [this](const ResultBatch& b) { analysis_->addAuxiliaryResults(auxiliaryKind(), b); });
    connect(worker, &InferenceWorker::auxiliaryFinished, this, [this](const RunReport& report) {
        toolbar_->showFinished(report);
        analysis_->finishAuxiliary(auxiliaryKind(), report);
        if (kind_ == Kind::Ood) {
            emit oodFinished();
        } else {
            emit validationFinished();
        }
    });
    connect(worker, &InferenceWorker::comparisonStarted, comparison_, &ComparisonView::setClasses);
    connect(worker, &InferenceWorker::comparisonResultsReady, comparison_,
            &ComparisonView::addResults);
    connect(worker, &InferenceWorker::comparisonMethodFinished, comparison_,
            &ComparisonView::finishMethod);
    connect(worker, &InferenceWorker::comparisonMethodFailed, comparison_,
            &ComparisonView::failMethod);
    connect(worker, &InferenceWorker::comparisonFinished, comparison_, &ComparisonView::finish);
    connect(worker, &InferenceWorker::comparisonFinished, toolbar_, &RunToolbar::showEnded);
    connect(session_, &InferenceSession::runningChanged, comparison_, &ComparisonView::setRunning);
    connect(session_, &InferenceSession::runningChanged, toolbar_, &RunToolbar::setRunning);
    connect(session_, &InferenceSession::runningChanged, analysis_, &AnalysisTabs::setRunning);
    connect(session_, &InferenceSession::runningChanged, gammaSweep_, &GammaSweepView::setRunning);
}

void RunController::startMain(const QStringList& inputs, const RunOptions& options) {
    kind_ = Kind::Main;
    session_->run(inputs, options);
}

bool RunController::canStartAuxiliary(const QString& missing) {
    if (!session_->hasModel() || session_->isRunning()) {
        status_->showMessage(
            session_->isRunning() ? tr("Wait for the current run to finish.") : missing, 8000);
        return false;
    }
    return true;
}

bool RunController::startGammaSweep(const QStringList& inputs, const QVector<double>& gammas,
                                    const QStringList& classes,
                                    const std::vector<float>& thresholds) {
    if (!canStartAuxiliary(tr("Open a model and images first."))) {
        return false;
    }
    if (inputs.isEmpty()) {
        status_->showMessage(tr("Open a model and images first."), 8000);
        return false;
    }
    gammaSweep_->begin(std::vector<double>(gammas.begin(), gammas.end()), classes, thresholds);
    kind_ = Kind::GammaSweep;
    session_->runGammaSweep(inputs, toolbar_->options(), gammas);
    return true;
}

bool RunController::startOod(const QStringList& outInputs, int analysedInDistribution) {
    if (!canStartAuxiliary(tr("Open a model first."))) {
        return false;
    }
    if (analysedInDistribution == 0) {
        status_->showMessage(tr("Run the in-distribution images first."), 8000);
        return false;
    }
    const RunOptions options = toolbar_->options();
    kind_ = Kind::Ood;
    analysis_->beginAuxiliary(AnalysisTabs::Auxiliary::Ood, outInputs, options);
    session_->runAuxiliary(outInputs, options);
    return true;
}

bool RunController::startValidation(const QStringList& validationInputs) {
    if (!canStartAuxiliary(tr("Open a model first."))) {
        return false;
    }
    const RunOptions options = toolbar_->options();
    kind_ = Kind::Validation;
    analysis_->beginAuxiliary(AnalysisTabs::Auxiliary::Validation, validationInputs, options);
    session_->runAuxiliary(validationInputs, options);
    return true;
}

bool RunController::startComparison(const QStringList& inputs, const QStringList& oodInputs,
                                    const MethodList& methods) {
    if (session_->isRunning() || inputs.isEmpty() || methods.isEmpty()) {
        status_->showMessage(session_->isRunning() ? tr("Wait for the current run to finish.")
                             : inputs.isEmpty()    ? tr("Open images first.")
                                                   : tr("Add methods to compare first."),
                             8000);
        return false;
    }
    // Where and how wide to run is the toolbar's choice for every method (a GUI run leaves a
    // core to the GUI); what to run is the method's own.
    const RunOptions toolbar = toolbar_->options();
    MethodList run = methods;
    for (MethodSpec& spec : run) {
        spec.options.threads = toolbar.threads;
        spec.options.device = toolbar.device;
        spec.options.precision = toolbar.precision;
    }
    kind_ = Kind::Comparison;
    comparison_->begin(run);
    session_->runComparison(inputs, oodInputs, run);
    return true;
}

AnalysisTabs::Auxiliary RunController::auxiliaryKind() const {
    return kind_ == Kind::Ood ? AnalysisTabs::Auxiliary::Ood : AnalysisTabs::Auxiliary::Validation;
}

}  // namespace ue::ui
