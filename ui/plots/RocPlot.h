#pragma once
#include <vector>

#include "metrics/OodMetrics.h"
#include "plots/ExportablePlot.h"

namespace ue::ui {

// ROC curves of out-of-distribution detection, one per score (the chosen one bold), with the
// chance diagonal and each score's AUROC in the legend.
class RocPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit RocPlot(QWidget* parent = nullptr);
    void setCurves(const std::vector<OodDetection>& results, Score chosen);
    void showMessage(const QString& message);
    int curveCount() const { return graphCount() - 1; }  // less the diagonal

    void resetZoom() override;

  private:
    QCPTextElement* title_;
};

// Two distributions of one score overlaid: in-distribution and out-of-distribution images, as
// shares of each set per bin on common bins.
class ScoreHistogramsPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit ScoreHistogramsPlot(QWidget* parent = nullptr);
    void setValues(const std::vector<double>& in, const std::vector<double>& out,
                   const QString& scoreName, int bins = 30);
    void showMessage(const QString& message);
    // Shares per bin, for tests: set 0 in-distribution, 1 OOD.
    QVector<double> shares(int set) const;

    void resetZoom() override;

  private:
    QCPTextElement* title_;
    QCPBars* in_;
    QCPBars* out_;
};

// Colours shared by the score plots, one per score.
QColor scoreColor(Score score);

}  // namespace ue::ui
