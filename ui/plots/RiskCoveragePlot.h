#pragma once
#include <vector>

#include "metrics/Calibration.h"
#include "plots/ExportablePlot.h"

namespace ue::ui {

// Risk (error rate of the kept images) against coverage (share kept, most confident first) for
// every score, with each score's AURC in the legend (under the axes, never over a curve); the
// chosen score is drawn bold. A click picks a coverage level, marked by a vertical line and
// reported by coverageClicked().
class RiskCoveragePlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit RiskCoveragePlot(QWidget* parent = nullptr);
    void setCurves(const std::vector<RiskCoverageCurve>& curves, Score chosen);
    void markCoverage(double coverage);  // < 0 hides the mark
    void showMessage(const QString& message);
    int curveCount() const { return graphCount(); }

    void resetZoom() override;

  signals:
    void coverageClicked(double coverage);

  protected:
    void mousePressEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

  private:
    void fitTitle();
    QCPTextElement* title_;
    QString titleText_;  // as written; title_ holds it wrapped to the width
    QCPItemStraightLine* marker_;
    double maxRisk_ = 0.1;
};

}  // namespace ue::ui
