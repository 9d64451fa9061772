#pragma once
#include <QStringList>
#include <vector>

#include "Labels.h"
#include "metrics/ImageSummary.h"
#include "plots/ExportablePlot.h"

namespace ue::ui {

// One image's class probabilities as horizontal bars, for the runs where per-class histograms
// say nothing: one pass per image (a deterministic model), or passes that all agree (a model
// with no stochastic layer). Every class in class order (more than `maxBars`: the likeliest,
// sorted, and the true class), the predicted class in orange, the true class on a green band,
// each bar's probability at its end, and the decision threshold dashed: the class's own
// (threshold rule) or 0.5 (the median rule, whose median of one value is that value). Hovering
// a bar tells its class, probability and threshold.
class ClassProbabilityPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit ClassProbabilityPlot(QWidget* parent = nullptr);

    // Whether `summary` is better drawn here than as histograms: one sample, or samples that
    // all gave every class the same probability.
    static bool suits(const ImageSummary& summary);

    void setMaxBars(int bars) { maxBars_ = bars; }
    // `thresholds`: one per class, or empty for the median rule's 0.5. `trueClass`: the image's
    // label, or kNoLabel.
    void showSummary(const ImageSummary& summary, const QStringList& classes,
                     const std::vector<float>& thresholds = {}, int trueClass = kNoLabel);
    void showMessage(const QString& message);

    // What is drawn, top row first, for tests: the classes, their bars' values, the predicted
    // class's row (-1 if not shown), the true class's row (-1 if none), a row's threshold mark,
    // its label on the axis, and what hovering it tells (rich text).
    const std::vector<int>& shownClasses() const { return shownClasses_; }
    QVector<double> barValues() const;
    int predictedRow() const;
    int trueClassRow() const { return trueRow_; }
    double thresholdOf(int row) const { return rowThresholds_.at(std::size_t(row)); }
    QString rowLabel(int row) const;
    QString key() const;
    QString barToolTip(int row) const;

    void resetZoom() override;

  protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

  private:
    void clearAll();
    void fitKey();
    void fitRowLabels();
    void placeValues();
    QCPTextElement* key_;
    QString keyText_;  // as written; key_ holds it wrapped to the width
    QCPBars* bars_;
    QCPBars* predicted_;
    ImageSummary summary_;
    QStringList classes_;
    std::vector<int> shownClasses_;
    std::vector<QCPItemText*> values_;  // one per row
    std::vector<double> rowThresholds_;
    bool classThresholds_ = false;
    int trueRow_ = -1;
    int addedTrueClass_ = -1;
    int maxBars_ = 20;
};

}  // namespace ue::ui
