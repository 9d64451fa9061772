#include "views/AnalysisTabs.h"

#include "model/PathText.h"
#include "views/CalibrationView.h"
#include "views/ConformalView.h"
#include "views/OodView.h"
#include "views/RankBreakdownView.h"
#include "views/RankingView.h"
#include "views/ScrollingPage.h"
#include "views/ThresholdsView.h"

namespace ue::ui {

AnalysisTabs::AnalysisTabs(ResultsModel* results, ThumbnailCache* thumbnails, QWidget* parent)
    : QTabWidget(parent) {
    ranking_ = new RankingView(results, thumbnails);
    calibration_ = new CalibrationView(results);
    rankBreakdown_ = new RankBreakdownView(results);
    thresholds_ = new ThresholdsView(results);
    conformal_ = new ConformalView(results);
    ood_ = new OodView(results);
    addTab(scrollingPage(ranking_), tr("Ranking"));
    addTab(scrollingPage(calibration_), tr("Calibration"));
    addTab(scrollingPage(rankBreakdown_), tr("True rank"));
    addTab(scrollingPage(thresholds_), tr("Thresholds"));
    addTab(scrollingPage(conformal_), tr("Conformal"));
    addTab(scrollingPage(ood_), tr("OOD"));
    // Six tabs: all visible at once beat scroll arrows that hide two of them. In a narrow dock
    // their names are shortened instead, so the dock does not hold the window wide.
    setUsesScrollButtons(false);
    setElideMode(Qt::ElideRight);
    setDocumentMode(true);

    connect(ranking_, &RankingView::imageActivated, this, &AnalysisTabs::imageActivated);
    connect(calibration_, &CalibrationView::rowsChosen, this, &AnalysisTabs::rowsChosen);
    connect(rankBreakdown_, &RankBreakdownView::rowsChosen, this, &AnalysisTabs::rowsChosen);
    connect(thresholds_, &ThresholdsView::runRequested, this, &AnalysisTabs::validationRequested);
    connect(thresholds_, &ThresholdsView::thresholdsChanged, this,
            &AnalysisTabs::thresholdsChanged);
    // Conformal is calibrated by the validation folder chosen in the Thresholds tab.
    connect(conformal_, &ConformalView::runRequested, this,
            [this] { emit validationRequested(thresholds_->validationInputs()); });
    connect(conformal_, &ConformalView::conformalChanged, this, &AnalysisTabs::conformalChanged);
    connect(ood_, &OodView::runRequested, this, &AnalysisTabs::oodRequested);
}

void AnalysisTabs::setModel(const QString& name, const QStringList& classes) {
    thresholds_->setModel(name, classes);
    conformal_->setClasses(classes);
    ood_->clearOutResults();
}

void AnalysisTabs::setScores(const std::vector<Score>& scores) {
    ranking_->setScores(scores);
    calibration_->setScores(scores);
    rankBreakdown_->setScores(scores);
    ood_->setScores(scores);
}

void AnalysisTabs::setRunning(bool running) {
    thresholds_->setRunning(running);
    conformal_->setRunning(running);
    ood_->setRunning(running);
}

void AnalysisTabs::refresh(bool running) {
    // Ranking sorts the whole set: during a run, at most twice a second.
    if (running &&
        !(ranking_->isVisible() && (!rankingClock_.isValid() || rankingClock_.elapsed() >= 500))) {
        return;
    }
    ranking_->refresh();
    if (!running || calibration_->isVisible()) {
        calibration_->refresh();
    }
    if (!running) {
        rankBreakdown_->refresh();
        thresholds_->refresh();
        conformal_->refresh();
        ood_->refresh();
    }
    rankingClock_.start();
}

void AnalysisTabs::beginAuxiliary(Auxiliary kind, const QStringList& inputs,
                                  const RunOptions& options) {
    if (kind == Auxiliary::Ood) {
        ood_->setOutInputs(inputs);
        ood_->begin();
        showPageOf(this, ood_);
    } else {
        thresholds_->setValidationInputs(inputs);
        thresholds_->begin(options);
        conformal_->beginValidation();
        showPageOf(this, thresholds_);
    }
}

void AnalysisTabs::addAuxiliaryResults(Auxiliary kind, const ResultBatch& batch) {
    if (kind == Auxiliary::Ood) {
        ood_->addOutResults(batch);
    } else {
        thresholds_->addValidationResults(batch);
        conformal_->addValidationResults(batch);
    }
}

void AnalysisTabs::finishAuxiliary(Auxiliary kind, const RunReport& report) {
    if (kind == Auxiliary::Ood) {
        ood_->finish(report);
    } else {
        thresholds_->finish(report);
        conformal_->finishValidation(validationSourceName(), report.cancelled);
    }
}

QString AnalysisTabs::validationSourceName() const {
    const QStringList& inputs = thresholds_->validationInputs();
    return inputs.isEmpty() ? QString() : shownFileName(inputs.front());
}

void AnalysisTabs::saveScreenshots(const std::function<void(QWidget*, const QString&)>& save) {
    const int shown = currentIndex();
    showPageOf(this, ranking_);
    save(ranking_, "ranking.png");
    showPageOf(this, calibration_);
    save(calibration_, "calibration.png");
    showPageOf(this, rankBreakdown_);
    save(rankBreakdown_, "rank-breakdown.png");
    if (!ood_->detections().empty()) {
        showPageOf(this, ood_);
        save(ood_, "ood.png");
    }
    if (!thresholds_->thresholds().empty()) {
        showPageOf(this, thresholds_);
        save(thresholds_, "thresholds.png");
    }
    if (conformal_->isCalibrated()) {
        showPageOf(this, conformal_);
        save(conformal_, "conformal.png");
    }
    setCurrentIndex(shown);
}

}  // namespace ue::ui
