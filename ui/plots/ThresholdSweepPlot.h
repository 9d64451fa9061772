#pragma once
#include <vector>

#include "plots/ExportablePlot.h"

namespace ue::ui {

// What the per-class threshold rule does as its percentile q moves: coverage and the accuracy
// of the covered images against q, with the accuracy without the rule as a dashed line and the
// chosen q marked; the legend under the axes. A click picks q (percentileClicked).
class ThresholdSweepPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit ThresholdSweepPlot(QWidget* parent = nullptr);
    // Fractions in [0,1], one per percentile.
    void setCurves(const std::vector<double>& percentiles, const std::vector<double>& coverage,
                   const std::vector<double>& accuracyAfter, double accuracyBefore);
    void markPercentile(double percentile);
    void showMessage(const QString& message);
    int curveCount() const { return graphCount(); }

    void resetZoom() override;

  signals:
    void percentileClicked(double percentile);

  protected:
    void mousePressEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

  private:
    QCPTextElement* title_;
    QCPItemStraightLine* marker_;
    double maxPercentile_ = 50;
    double lowest_ = 0.5;
};

}  // namespace ue::ui
