#include "views/RunController.h"

#include "views/GammaSweepView.h"
#include "views/RunStatusBar.h"
#include "views/RunToolbar.h"
#include "worker/InferenceWorker.h"

namespace ue::ui {

RunController::RunController(InferenceSession* session, RunToolbar* toolbar, AnalysisTabs* analysis,
                             GammaSweepView* gammaSweep, RunStatusBar* status, QObject* parent)
    : QObject(parent),
      session_(session),
      toolbar_(toolbar),
      analysis_(analysis),
      gammaSweep_(gammaSweep),
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

AnalysisTabs::Auxiliary RunController::auxiliaryKind() const {
    return kind_ == Kind::Ood ? AnalysisTabs::Auxiliary::Ood : AnalysisTabs::Auxiliary::Validation;
}

}  // namespace ue::ui
