#include "views/ConformalView.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <cmath>

#include "PlainText.h"
#include "io/ConformalCsv.h"
#include "model/ResultsModel.h"
#include "plots/SetSizePlot.h"
#include "views/ResultsExport.h"

namespace ue::ui {

ConformalView::ConformalView(ResultsModel* results, QWidget* parent)
    : QWidget(parent), results_(results) {
    setObjectName("conformalView");
    sourceLabel_ = plainLabel();
    sourceLabel_->setWordWrap(true);
    run_ = new QPushButton(tr("Run validation set"));
    run_->setToolTip(tr("Runs the validation folder chosen in the Thresholds tab"));
    alpha_ = new QDoubleSpinBox;
    alpha_->setRange(0.01, 0.5);
    alpha_->setDecimals(2);
    alpha_->setSingleStep(0.01);
    alpha_->setValue(0.1);
    alpha_->setPrefix("α = ");
    alpha_->setToolTip(
        tr("Miscoverage: the sets should hold the true class with probability "
           "at least 1 − α"));
    method_ = new QComboBox;
    method_->addItem(tr("LAC (1 − p of the class)"), int(ConformalMethod::Lac));
    method_->addItem(tr("APS (mass ranked at or above)"), int(ConformalMethod::Aps));
    export_ = new QPushButton(tr("Export CSV…"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(run_);
    controls->addWidget(alpha_);
    controls->addWidget(method_, 1);
    summary_ = plainLabel();
    summary_->setWordWrap(true);
    overlapWarning_ = warningLabel();
    overlapWarning_->setObjectName("conformalOverlapWarning");
    sizes_ = new SetSizePlot;
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(sourceLabel_);
    layout->addLayout(controls);
    layout->addWidget(summary_);
    layout->addWidget(overlapWarning_);
    layout->addWidget(sizes_, 1);
    layout->addWidget(export_, 0, Qt::AlignLeft);

    connect(run_, &QPushButton::clicked, this, &ConformalView::runRequested);
    // A new run's rows are other images.
    connect(results_, &QAbstractItemModel::modelReset, this, [this] { overlap_.forgetRows(); });
    connect(alpha_, &QDoubleSpinBox::valueChanged, this, &ConformalView::recompute);
    connect(method_, &QComboBox::currentIndexChanged, this, &ConformalView::recompute);
    connect(export_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export conformal sets"),
                                                          "conformal-sets.csv", tr("CSV (*.csv)"));
        if (!path.isEmpty()) {
            if (const QString error = writeSetsCsv(path); !error.isEmpty()) {
                warnPlainly(this, tr("Export failed"), error);
            }
        }
    });
    recompute();
}

void ConformalView::setClasses(const QStringList& classes) {
    classes_ = classes;
    lac_ = ConformalCalibrator(ConformalMethod::Lac);
    aps_ = ConformalCalibrator(ConformalMethod::Aps);
    overlap_.clearCalibration();
    source_.clear();
    recompute();
}

void ConformalView::beginValidation() {
    lac_ = ConformalCalibrator(ConformalMethod::Lac);
    aps_ = ConformalCalibrator(ConformalMethod::Aps);
    overlap_.clearCalibration();
}

void ConformalView::addValidationResults(const ResultBatch& batch) {
    for (const ImageResult& result : batch) {
        if (result.ok && result.label != kNoLabel) {
            lac_.add(result.summary.mean, result.label);
            aps_.add(result.summary.mean, result.label);
            overlap_.addCalibrationImage(result.path);
        }
    }
}

void ConformalView::finishValidation(const QString& source, bool cancelled) {
    source_ = source + (cancelled ? tr(" (cancelled: partial)") : QString());
    recompute();
}

void ConformalView::setRunning(bool running) {
    running_ = running;
    run_->setEnabled(!running && !classes_.isEmpty());
}

void ConformalView::refresh() {
    recompute();
}

void ConformalView::setAlpha(double alpha) {
    alpha_->setValue(alpha);
}

void ConformalView::setMethod(ConformalMethod method) {
    method_->setCurrentIndex(method_->findData(int(method)));
}

double ConformalView::alpha() const {
    return alpha_->value();
}

ConformalMethod ConformalView::method() const {
    return ConformalMethod(method_->currentData().toInt());
}

std::size_t ConformalView::calibrationImages() const {
    return lac_.count();
}

std::vector<int> ConformalView::setFor(const ImageSummary& summary) const {
    return predictionSet(method(), summary.mean, qhat_);
}

void ConformalView::recompute() {
    const ConformalCalibrator& calibrator = method() == ConformalMethod::Lac ? lac_ : aps_;
    qhat_ = calibrator.qhat(alpha());
    evaluation_ = ConformalEvaluator(std::size_t(classes_.size()));
    evaluatedCalibrationImages_ = 0;
    overlapWarning_->hide();
    export_->setEnabled(false);
    if (!isCalibrated()) {
        sourceLabel_->setText(
            tr("Not calibrated: run a labelled validation set (chosen in the "
               "Thresholds tab)."));
        summary_->clear();
        sizes_->showMessage(tr("Run a labelled validation set"));
        emit conformalChanged();
        return;
    }
    sourceLabel_->setText(
        tr("Calibrated on %1 validation images (%2)").arg(calibrationImages()).arg(source_));
    for (int row = 0; row < results_->rowCount(); ++row) {
        if (const ImageResult* result = results_->result(row); result && result->ok) {
            evaluation_.add(setFor(result->summary), result->label);
            evaluatedCalibrationImages_ +=
                overlap_.isCalibrationImage(row, results_->rowCount(), *result) ? 1 : 0;
        }
    }
    if (evaluatedCalibrationImages_ > 0) {
        overlapWarning_->setText(tr("Warning: %1")
                                     .arg(QString::fromStdString(calibrationOverlapWarning(
                                         evaluatedCalibrationImages_, evaluation_.images()))));
        overlapWarning_->show();
    }
    const QString qhatText = std::isinf(qhat_) ? tr("∞ (too few validation images: every class)")
                                               : QString::number(qhat_, 'f', 4);
    if (evaluation_.images() == 0) {
        summary_->setText(tr("qhat = %1. Run images to see their sets.").arg(qhatText));
        sizes_->showMessage(tr("No results yet"));
    } else {
        const QString coverage = evaluation_.labelled()
                                     ? tr("coverage %1 % (target ≥ %2 %)")
                                           .arg(100 * evaluation_.coverage(), 0, 'f', 1)
                                           .arg(100 * (1 - alpha()), 0, 'f', 0)
                                     : tr("no labelled images for the coverage");
        summary_->setText(
            tr("qhat = %1 · %2 · mean set size %3 · %4 empty, %5 singletons")
                .arg(qhatText, coverage)
                .arg(evaluation_.meanSetSize(), 0, 'f', 2)
                .arg(evaluation_.sizeCounts()[0])
                .arg(evaluation_.sizeCounts().size() > 1 ? evaluation_.sizeCounts()[1] : 0));
        sizes_->setCounts(evaluation_.sizeCounts(),
                          tr("%1 set sizes over %2 images (α = %3)")
                              .arg(QString::fromStdString(toString(method())).toUpper())
                              .arg(evaluation_.images())
                              .arg(alpha()));
        export_->setEnabled(true);
    }
    emit conformalChanged();
}

QString ConformalView::writeSetsCsv(const QString& path) const {
    return writeAtomically(path, [&](std::ostream& out) {
        ConformalSetsCsv csv(out, toStdStrings(classes_));
        for (int row = 0; row < results_->rowCount(); ++row) {
            if (const ImageResult* r = results_->result(row); r && r->ok) {
                csv.write(r->path, r->label, method(), qhat_, setFor(r->summary));
            }
        }
    });
}

}  // namespace ue::ui
