#pragma once
#include <vector>

#include "plots/ExportablePlot.h"

namespace ue::ui {

// How large the conformal prediction sets are: the share of images per set size 0..C, with
// the empty sets (no class likely enough) in a warning colour.
class SetSizePlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit SetSizePlot(QWidget* parent = nullptr);
    void setCounts(const std::vector<std::size_t>& imagesPerSize, const QString& title);
    void showMessage(const QString& message);
    // Shares per size, for tests.
    QVector<double> shares() const;

    void resetZoom() override;

  private:
    QCPTextElement* title_;
    QCPBars* empty_;
    QCPBars* sizes_;
    int largest_ = 10;
    double tallest_ = 1;
};

}  // namespace ue::ui
