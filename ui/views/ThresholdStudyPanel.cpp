#include "views/ThresholdStudyPanel.h"

#include <QLabel>
#include <QVBoxLayout>

#include "PlainText.h"
#include "model/ResultsModel.h"
#include "plots/ThresholdSweepPlot.h"
#include "views/ResultsExport.h"
#include "views/ThresholdStudyTable.h"

namespace ue::ui {

ThresholdStudyPanel::ThresholdStudyPanel(ResultsModel* results, QWidget* parent)
    : QWidget(parent), results_(results) {
    setObjectName("thresholdStudyPanel");
    summary_ = plainLabel();
    summary_->setWordWrap(true);
    overlapWarning_ = warningLabel();
    overlapWarning_->setObjectName("thresholdsOverlapWarning");
    table_ = new ThresholdStudyTable;
    sweep_ = new ThresholdSweepPlot;
    // Readable in a short window: the page scrolls instead of squeezing it to a strip.
    sweep_->setMinimumHeight(240);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(summary_);
    layout->addWidget(overlapWarning_);
    layout->addWidget(table_);
    layout->addWidget(sweep_, 1);

    connect(results_, &QAbstractItemModel::modelReset, this, [this] { overlap_.forgetRows(); });
}

void ThresholdStudyPanel::setClasses(const QStringList& classes) {
    classes_ = classes;
}

void ThresholdStudyPanel::clearValidationImages() {
    overlap_.clearCalibration();
    judgedValidationImages_ = 0;  // none can be among an empty set: no rows to walk
}

void ThresholdStudyPanel::addValidationImage(const std::string& path) {
    overlap_.addCalibrationImage(path);
}

void ThresholdStudyPanel::judgeRun() {
    evaluator_ = ThresholdEvaluator(std::size_t(classes_.size()));
    walkRows(true);
}

void ThresholdStudyPanel::recountValidationImages() {
    walkRows(false);
}

void ThresholdStudyPanel::walkRows(bool judge) {
    judgedValidationImages_ = 0;
    for (int row = 0; row < results_->rowCount(); ++row) {
        if (const ImageResult* result = results_->result(row); result && result->ok) {
            if (judge) {
                evaluator_.add(result->summary, result->label);
            }
            judgedValidationImages_ += isJudgedValidationImage(row, *result) ? 1 : 0;
        }
    }
}

bool ThresholdStudyPanel::isJudgedValidationImage(int row, const ImageResult& result) {
    return result.label != kNoLabel &&
           overlap_.isCalibrationImage(row, results_->rowCount(), result);
}

void ThresholdStudyPanel::showStudy(const ClassThresholds& thresholds) {
    shown_ = thresholds;
    study_ = evaluator_.evaluate(shown_.thresholds);
    table_->showStudy(study_, classes_, shown_);
    if (shown_.thresholds.empty()) {
        summary_->setText(
            tr("No thresholds yet: run a labelled validation set, or load a "
               "thresholds file."));
    } else if (study_.overall.images == 0) {
        summary_->setText(
            tr("Thresholds ready; the current run has no labelled images to "
               "judge them on."));
    } else {
        const ThresholdOutcome& all = study_.overall;
        summary_->setText(tr("Test set (the current run, %1 labelled): accuracy %2 → %3 on the "
                             "%4 still classified; %5 unclassified.")
                              .arg(all.images)
                              .arg(percentText(all.accuracyBefore()),
                                   percentText(all.accuracyAfter()), percentText(all.coverage()))
                              .arg(all.images - all.covered));
    }
    const bool overlapping =
        !shown_.thresholds.empty() && study_.overall.images > 0 && judgedValidationImages_ > 0;
    if (overlapping) {
        overlapWarning_->setText(
            tr("Warning: %1")
                .arg(QString::fromStdString(calibrationOverlapWarning(
                    judgedValidationImages_, study_.overall.images, "accuracy under the rule"))));
    }
    overlapWarning_->setVisible(overlapping);
}

void ThresholdStudyPanel::showSweep(ThresholdSource source, const ThresholdCollector& collector,
                                    double percentile) {
    if (source != ThresholdSource::Validation || evaluator_.labelled() == 0) {
        sweep_->showMessage(source == ThresholdSource::File
                                ? tr("Thresholds from a file: run a validation set to tune q")
                                : tr("Run a labelled validation set"));
        return;
    }
    std::vector<double> qs, coverage, accuracy;
    for (int step = 0; step <= int(kMaxPercentile) * kPercentileSteps; ++step) {
        const double q = double(step) / kPercentileSteps;
        const ThresholdStudy s = evaluator_.evaluate(collector.compute(q).thresholds);
        qs.push_back(q);
        coverage.push_back(s.overall.coverage());
        accuracy.push_back(s.overall.accuracyAfter());
    }
    sweep_->setCurves(qs, coverage, accuracy, evaluator_.evaluate({}).overall.accuracyBefore());
    sweep_->markPercentile(percentile);
}

QString ThresholdStudyPanel::writeStudyCsv(const QString& path) const {
    return writeAtomically(path, [&](std::ostream& out) {
        writeThresholdStudyCsv(out, study_, toStdStrings(classes_), shown_.thresholds,
                               shown_.support);
    });
}

}  // namespace ue::ui
