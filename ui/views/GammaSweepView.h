#pragma once
#include <QWidget>

#include "Metatypes.h"
#include "model/GammaSweepData.h"

class QDoubleSpinBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QSlider;
class QSpinBox;
class QStackedWidget;
class QToolButton;

namespace ue::ui {

class ClassHistogramsPlot;
class ClassProbabilityPlot;
class GammaCurvesPlot;

// The gamma sweep: its range and a Run button; the set-level curves against γ (accuracy, the
// median rule's and, with thresholds, the threshold rule's coverage and covered accuracy, mean
// entropy and mutual information); the selected image's own curves; a strip of that image at
// every γ; and its per-class histograms at the γ picked with the slider or the strip. The class
// thresholds in force now apply everywhere, the exported tables included (the sweep's
// probabilities do not depend on them, so changing them needs no new sweep).
class GammaSweepView : public QWidget {
    Q_OBJECT
  public:
    explicit GammaSweepView(QWidget* parent = nullptr);

    // The γ values the controls ask for (core's gammaGrid).
    std::vector<double> requestedGammas() const;
    void setRange(double minGamma, double maxGamma, int steps);

    // A new sweep starts: forget the previous one. `thresholds` (for `classes`) are those in force
    // now: the set-level threshold rule and the CSV use them.
    void begin(const std::vector<double>& gammas, const QStringList& classes,
               const std::vector<float>& thresholds);
    void addResults(const GammaBatch& batch);
    void finish(const RunReport& report);
    void setRunning(bool running);
    // The thresholds the user sets later, for the model with `classes` (empty: the median rule):
    // when the sweep is of that model, the histograms and bars at γ, the set-level threshold rule
    // and the CSVs follow them.
    void setThresholds(const std::vector<float>& thresholds, const QStringList& classes);
    // What the histograms and bars at γ draw, and the set-level threshold rule measures.
    const std::vector<float>& shownThresholds() const;
    // Redraws the curves (the window coalesces streamed results into one call per 30 ms).
    void refresh();
    // Follows the browser's selection.
    void showImage(const QString& path);

    void pickGamma(int gammaIndex);
    int pickedGammaIndex() const;

    const GammaSweepData& data() const { return data_; }
    GammaCurvesPlot* setCurves() const { return setPlot_; }
    GammaCurvesPlot* imageCurves() const { return imagePlot_; }
    ClassHistogramsPlot* histograms() const { return histograms_; }
    // Shown instead of the histograms where they would say nothing (one pass per image).
    ClassProbabilityPlot* probabilities() const { return probabilities_; }
    bool showsProbabilities() const;
    int previewCount() const;

  signals:
    void sweepRequested(const QVector<double>& gammas);

  private:
    void refreshImage();
    void rebuildPreviews();
    void showAtGamma(const ImageSummary& summary, int label);
    void showAtGammaMessage(const QString& message);
    void exportCsv(bool perImage);

    GammaSweepData data_;
    std::vector<float> thresholds_;
    QStringList thresholdClasses_;
    QString imagePath_;
    QDoubleSpinBox* minGamma_;
    QDoubleSpinBox* maxGamma_;
    QSpinBox* steps_;
    QPushButton* run_;
    QToolButton* export_;
    QLabel* status_;
    GammaCurvesPlot* setPlot_;
    GammaCurvesPlot* imagePlot_;
    QHBoxLayout* previews_;
    QScrollArea* previewStrip_;
    QSlider* gammaSlider_;
    QLabel* gammaLabel_;
    QLabel* pickLabel_;
    QStackedWidget* atGamma_;
    ClassHistogramsPlot* histograms_;
    ClassProbabilityPlot* probabilities_;
    int previewImage_ = -1;
};

}  // namespace ue::ui
