#pragma once
#include <vector>

#include "metrics/Calibration.h"
#include "plots/ExportablePlot.h"

namespace ue::ui {

// The reliability diagram: per confidence bin, the accuracy of its images against their mean
// confidence, with the diagonal of perfect calibration. Equal-width bins are drawn as bars over
// their range; equal-mass bins as points at their mean confidence joined by a line.
class ReliabilityPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit ReliabilityPlot(QWidget* parent = nullptr);
    void setBins(const std::vector<ReliabilityBin>& bins, bool equalMass, double ece);
    void showMessage(const QString& message);
    // Bins drawn (non-empty ones), for tests.
    int drawnBins() const { return drawnBins_; }

    void resetZoom() override;

  private:
    QCPTextElement* title_;
    QCPBars* bars_;
    QCPGraph* points_;
    QCPGraph* diagonal_;
    int drawnBins_ = 0;
};

}  // namespace ue::ui
