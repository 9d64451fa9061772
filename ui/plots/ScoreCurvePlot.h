#pragma once
#include <vector>

#include "plots/ExportablePlot.h"

namespace ue::ui {

// A score over the whole set, most uncertain first (rank on x, score on y), with the top-K
// cut-off as a vertical line: how much of the set the ranking shows and how steep it falls.
class ScoreCurvePlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit ScoreCurvePlot(QWidget* parent = nullptr);
    // `sortedScores` in display order (most uncertain first).
    void setCurve(const std::vector<double>& sortedScores, const QString& scoreName, int cutOff);
    // Images on the curve (it draws at most a few thousand of them).
    int pointCount() const;

  private:
    void fitScoreLabel();

    int totalPoints_ = 0;
    QString scoreName_;
};

}  // namespace ue::ui
