#include "views/CalibrationView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "PlainText.h"
#include "model/ResultsModel.h"
#include "plots/ReliabilityPlot.h"
#include "plots/RiskCoveragePlot.h"
#include "views/ScoreBox.h"

namespace ue::ui {

CalibrationView::CalibrationView(ResultsModel* results, QWidget* parent)
    : QWidget(parent), results_(results) {
    setObjectName("calibrationView");
    summary_ = plainLabel();
    summary_->setWordWrap(true);
    binning_ = new QComboBox;
    binning_->addItem(tr("equal-width bins"));
    binning_->addItem(tr("equal-mass bins"));
    bins_ = new QSpinBox;
    bins_->setRange(2, 100);
    bins_->setValue(15);
    score_ = new QComboBox;
    fillScoreBox(score_, scores_, Score::MaxProbability);
    score_->setToolTip(tr("The score whose ranking a click on the risk-coverage curve uses"));
    auto* binRow = new QHBoxLayout;
    binRow->addWidget(binning_, 1);
    binRow->addWidget(bins_);
    auto* scoreRow = new QHBoxLayout;
    scoreRow->addWidget(new QLabel(tr("Reject by")));
    scoreRow->addWidget(score_, 1);

    reliability_ = new ReliabilityPlot;
    riskCoverage_ = new RiskCoveragePlot;
    // Readable heights: in a short window the page scrolls instead.
    // The reliability diagram holds its count panel too.
    reliability_->setMinimumHeight(250);
    // Its legend (six scores) takes a column of rows under a narrow plot: the axes keep ~200 px.
    riskCoverage_->setMinimumHeight(320);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(summary_);
    layout->addLayout(binRow);
    layout->addWidget(reliability_, 2);
    layout->addLayout(scoreRow);
    layout->addWidget(riskCoverage_, 3);

    connect(binning_, &QComboBox::currentIndexChanged, this, &CalibrationView::refresh);
    connect(bins_, &QSpinBox::valueChanged, this, &CalibrationView::refresh);
    connect(score_, &QComboBox::currentIndexChanged, this, &CalibrationView::refresh);
    connect(riskCoverage_, &RiskCoveragePlot::coverageClicked, this, &CalibrationView::rejectAt);
    refresh();
}

void CalibrationView::setScores(const std::vector<Score>& scores) {
    scores_ = scores;
    fillScoreBox(score_, scores_, Score::MaxProbability);
    refresh();
}

Score CalibrationView::selectionScore() const {
    return Score(score_->currentData().toInt());
}

void CalibrationView::refresh() {
    accumulator_ = CalibrationAccumulator();
    rows_.clear();
    for (int row = 0; row < results_->rowCount(); ++row) {
        const ImageResult* result = results_->result(row);
        if (result && result->ok && result->label != kNoLabel) {
            accumulator_.add(result->summary, result->label);
            rows_.push_back(row);
        }
    }
    if (rows_.empty()) {
        summary_->setText(tr("Calibration needs labelled images (class-named folders)."));
        // Before a run, or a run of images without labels: say which.
        const bool analysed = results_->analysedCount() > 0;
        const QString unlabelled =
            tr("No labelled images: calibration needs images in class-named folders.");
        reliability_->showMessage(
            analysed ? unlabelled
                     : tr("Run the analysis to see whether the confidence matches the "
                          "accuracy."));
        riskCoverage_->showMessage(
            analysed ? unlabelled
                     : tr("Run the analysis to see how the error rate falls as uncertain "
                          "images are rejected."));
        return;
    }
    const CalibrationReport report = accumulator_.calibration(bins_->value());
    summary_->setText(tr("%1 labelled images · accuracy %2 % · NLL %3 · Brier %4\n"
                         "ECE %5 (equal width) · %6 (equal mass)")
                          .arg(report.labelled)
                          .arg(100 * report.accuracy, 0, 'f', 2)
                          .arg(report.nll, 0, 'f', 4)
                          .arg(report.brier, 0, 'f', 4)
                          .arg(report.eceEqualWidth, 0, 'f', 4)
                          .arg(report.eceEqualMass, 0, 'f', 4));
    const bool equalMass = binning_->currentIndex() == 1;
    reliability_->setBins(equalMass ? report.equalMass : report.equalWidth, equalMass,
                          equalMass ? report.eceEqualMass : report.eceEqualWidth);
    riskCoverage_->setCurves(accumulator_.riskCoverageAllScores(scores_), selectionScore());
}

void CalibrationView::rejectAt(double coverage) {
    const std::size_t n = rows_.size();
    if (n == 0) {
        return;
    }
    const Score score = selectionScore();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return accumulator_.uncertainty(a, score) < accumulator_.uncertainty(b, score);
    });
    const std::size_t kept = std::size_t(std::lround(std::clamp(coverage, 0.0, 1.0) * n));
    QSet<int> rejected;
    std::size_t keptErrors = 0;
    for (std::size_t k = 0; k < n; ++k) {
        if (k < kept) {
            keptErrors += accumulator_.correct(order[k]) ? 0 : 1;
        } else {
            rejected.insert(rows_[order[k]]);
        }
    }
    riskCoverage_->markCoverage(double(kept) / n);
    emit rowsChosen(rejected, tr("%1 images rejected at %2 % coverage by %3 (error rate of the "
                                 "%4 kept: %5 %)")
                                  .arg(rejected.size())
                                  .arg(100.0 * kept / n, 0, 'f', 0)
                                  .arg(QString::fromStdString(scoreName(score)))
                                  .arg(kept)
                                  .arg(kept ? 100.0 * keptErrors / kept : 0.0, 0, 'f', 1));
}

}  // namespace ue::ui
