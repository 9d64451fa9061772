#pragma once
#include <QSet>
#include <QWidget>

#include "metrics/Calibration.h"

class QComboBox;
class QLabel;
class QSpinBox;

namespace ue::ui {

class ReliabilityPlot;
class ResultsModel;
class RiskCoveragePlot;

// Calibration and selective prediction over the labelled images of the current run: accuracy,
// NLL, Brier and both ECEs; the reliability diagram (equal-width or equal-mass bins); the
// risk-coverage curve of every score with its AURC. Clicking a coverage level on the curve
// picks the images the chosen score rejects there, and rowsChosen() hands them to the browser.
class CalibrationView : public QWidget {
    Q_OBJECT
  public:
    explicit CalibrationView(ResultsModel* results, QWidget* parent = nullptr);

    void refresh();
    // The scores to offer and draw curves of: the model's scoresFor().
    void setScores(const std::vector<Score>& scores);
    // The images the chosen score rejects when keeping `coverage` (0..1) of the labelled ones.
    void rejectAt(double coverage);
    Score selectionScore() const;
    QComboBox* scoreBox() const { return score_; }

    ReliabilityPlot* reliability() const { return reliability_; }
    RiskCoveragePlot* riskCoverage() const { return riskCoverage_; }
    const CalibrationAccumulator& accumulator() const { return accumulator_; }

  signals:
    void rowsChosen(const QSet<int>& sourceRows, const QString& why);

  private:
    ResultsModel* results_;
    CalibrationAccumulator accumulator_;
    std::vector<Score> scores_ = allScores();
    std::vector<int> rows_;  // source row of each labelled image added
    QLabel* summary_;
    QComboBox* binning_;
    QSpinBox* bins_;
    QComboBox* score_;
    ReliabilityPlot* reliability_;
    RiskCoveragePlot* riskCoverage_;
};

}  // namespace ue::ui
