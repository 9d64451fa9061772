#pragma once
#include <QStringList>
#include <vector>

#include "Labels.h"
#include "metrics/ImageSummary.h"
#include "plots/ExportablePlot.h"

namespace ue::ui {

// Small multiples, one panel per class (all classes up to `maxPanels`, else the top ones by
// mean and the true class, whose probability is what a misclassified image is about): the histogram
// of that class's probability over the samples (T passes, ensemble members, augmented copies), as a
// share of the samples, with the 10-90 % band (none for a single sample), the median (solid line),
// the mean (diamond) and the decision threshold (dashed: 0.5 for the median rule, or the class's
// own threshold when given). Hovering a bar tells its bin, count and the class's statistics.
class ClassHistogramsPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit ClassHistogramsPlot(QWidget* parent = nullptr);

    void setMaxPanels(int panels) { maxPanels_ = panels; }
    // `thresholds`: one per class, or empty for the median rule's 0.5. `trueClass`: the image's
    // label, or kNoLabel.
    void showSummary(const ImageSummary& summary, const QStringList& classes,
                     const std::vector<float>& thresholds = {}, int trueClass = kNoLabel);
    void showMessage(const QString& message);

    // What is drawn, for tests: the classes shown (in panel order) and a panel's bar heights.
    const std::vector<int>& shownClasses() const { return shownClasses_; }
    QVector<double> barShares(int panel) const;
    double thresholdOf(int panel) const { return panelThresholds_.at(panel); }
    // A panel's title as drawn: its class name, cut to fit the panel's column.
    QString titleOf(int panel) const;
    // What hovering a panel's `bin` tells (rich text).
    QString binToolTip(int panel, int bin) const;

    void resetZoom() override;
    QSize minimumSizeHint() const override;

  protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

  private:
    void clearAll();
    void addPanel(QCPLayoutGrid* cell, int panel, int cls, double yMax, bool firstColumn);
    void fitTitles();
    ImageSummary summary_;
    QStringList classes_;
    std::vector<int> shownClasses_;
    std::vector<double> panelThresholds_;
    std::vector<QCPAxisRect*> rects_;
    std::vector<QCPBars*> bars_;
    std::vector<QCPTextElement*> titles_;
    QCPTextElement* key_ = nullptr;
    int columns_ = 1;
    int maxPanels_ = 10;
    // The true class when it was added to the top classes by mean, else -1.
    int addedTrueClass_ = -1;
};

}  // namespace ue::ui
