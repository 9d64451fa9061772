#pragma once
#include <vector>

#include "metrics/Calibration.h"
#include "plots/ExportablePlot.h"

namespace ue::ui {

// The reliability diagram: per confidence bin, the accuracy of its images against their mean
// confidence, with the diagonal of perfect calibration. Equal-width bins are drawn as bars over
// their range; equal-mass bins as points at their mean confidence joined by a line. Under it, on
// the same confidence axis, how many images each bin holds (the number over each bar where it
// fits): a bin of 3 images says little, however tall its bar. Hovering either panel tells the
// bin's range, count, accuracy and mean confidence.
class ReliabilityPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit ReliabilityPlot(QWidget* parent = nullptr);
    void setBins(const std::vector<ReliabilityBin>& bins, bool equalMass, double ece);
    void showMessage(const QString& message);
    // Bins drawn (non-empty ones), for tests.
    int drawnBins() const { return int(drawn_.size()); }
    // The images in each drawn bin, in confidence order, as the count panel draws them.
    std::vector<std::size_t> shownCounts() const;
    // The numbers written over the count bars (a bin too narrow for its number has none).
    QStringList countLabels() const;
    // What hovering `confidence` (0..1) tells; empty outside every drawn bin.
    QString toolTipAt(double confidence) const;
    QCPAxisRect* countRect() const { return countRect_; }

    void resetZoom() override;

  protected:
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    void clearCounts();
    void fitCountLabels();
    QCPTextElement* title_;
    QCPBars* bars_;
    QCPGraph* points_;
    QCPGraph* diagonal_;
    QCPAxisRect* countRect_;
    std::vector<ReliabilityBin> drawn_;
    std::vector<QCPItemRect*> countBars_;
    std::vector<QCPItemText*> countTexts_;
    double maxCount_ = 1;
};

}  // namespace ue::ui
