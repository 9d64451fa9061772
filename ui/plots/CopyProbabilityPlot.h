#pragma once
#include <vector>

#include "model/CopyOutcomes.h"
#include "plots/ExportablePlot.h"

namespace ue::ui {

// Per augmented copy, the probability of the image's overall prediction (bars: blue where the
// copy agrees, red where it predicts another class), the true class's probability when the
// image is labelled and misclassified (dots), and the mean over all copies (dashed).
class CopyProbabilityPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit CopyProbabilityPlot(QWidget* parent = nullptr);
    void setOutcomes(const std::vector<CopyOutcome>& outcomes, const QString& overallClass,
                     const QString& trueClass, int overallPrediction);
    void showMessage(const QString& message);
    int barCount() const;

    void resetZoom() override;

  private:
    QCPTextElement* title_;
    QCPBars* agreeing_;
    QCPBars* disagreeing_;
    QCPGraph* trueClass_;
    QCPItemStraightLine* mean_;
    int copies_ = 0;
};

}  // namespace ue::ui
