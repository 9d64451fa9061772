#pragma once
#include <QWidget>
#include <vector>

#include "Metatypes.h"
#include "metrics/Conformal.h"

class QLabel;
class QStackedWidget;
class QTableWidget;

namespace ue::ui {

class ClassHistogramsPlot;
class ClassProbabilityPlot;
class ExportablePlot;
class UncertaintySplitBar;

// One image, large, with its prediction under each rule, its scores, its uncertainty split into
// aleatoric and epistemic parts, and the per-class histograms of its probability over the
// passes; where the passes have no spread (one pass, or all alike) a histogram is one full
// bin, so its class probabilities are drawn as bars instead.
class InspectorView : public QWidget {
    Q_OBJECT
  public:
    explicit InspectorView(QWidget* parent = nullptr);

    void setClasses(const QStringList& classes) { classes_ = classes; }
    void setThresholds(const std::vector<float>& thresholds) { thresholds_ = thresholds; }
    // The conformal prediction set shown per image (method, q̂ and the α it was made for);
    // clearConformal() hides it.
    void setConformal(ConformalMethod method, double qhat, double alpha);
    void clearConformal() { hasConformal_ = false; }
    void showImage(const ImageEntry& entry, const ImageResult* result);
    void clear();

    ClassHistogramsPlot* histograms() const { return histograms_; }
    ClassProbabilityPlot* probabilities() const { return probabilities_; }
    // The one of the two shown (what File > Export exports).
    ExportablePlot* shownPlot() const;
    QLabel* imageLabel() const { return image_; }
    UncertaintySplitBar* split() const { return split_; }

  private:
    QString className(int index) const;
    QStringList classes_;
    std::vector<float> thresholds_;
    bool hasConformal_ = false;
    ConformalMethod conformalMethod_ = ConformalMethod::Lac;
    double qhat_ = 0;
    double alpha_ = 0.1;
    QLabel* image_;
    QLabel* title_;
    QTableWidget* facts_;
    UncertaintySplitBar* split_;
    QStackedWidget* plots_;
    ClassHistogramsPlot* histograms_;
    ClassProbabilityPlot* probabilities_;
};

}  // namespace ue::ui
