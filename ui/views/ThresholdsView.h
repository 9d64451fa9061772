#pragma once
#include <QStringList>
#include <QWidget>
#include <vector>

#include "Metatypes.h"
#include "io/ThresholdsFile.h"
#include "metrics/ThresholdStudy.h"
#include "metrics/Thresholds.h"
#include "views/ThresholdStudyPanel.h"

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QTableWidget;

namespace ue::ui {

class ResultsModel;
class ThresholdSweepPlot;

// The per-class threshold study. A validation folder is run with the toolbar's options; for
// each class the q-th percentile of its probability over the validation images correctly
// classified as it becomes its threshold, and the current run (the test set) is judged with it:
// accuracy and coverage before and after, per true class and overall, live as q moves, and
// coverage/accuracy against q (ThresholdStudyPanel). Thresholds can be saved to and loaded from
// JSON; whenever they change, thresholdsChanged() hands them to the inspector and the browser.
class ThresholdsView : public QWidget {
    Q_OBJECT
  public:
    explicit ThresholdsView(ResultsModel* results, QWidget* parent = nullptr);

    // A new model: its validation results and thresholds from before are dropped.
    void setModel(const QString& name, const QStringList& classes);
    void setValidationInputs(const QStringList& inputs);
    const QStringList& validationInputs() const { return validationInputs_; }
    // The validation run: started (with these options), results streamed in, finished.
    void begin(const RunOptions& options);
    void addValidationResults(const ResultBatch& batch);
    void finish(const RunReport& report);
    void setRunning(bool running);
    // Re-judges the current run's labelled results (the test set).
    void refresh();

    void setPercentile(double percentile);
    double percentile() const;
    const std::vector<float>& thresholds() const { return current_.thresholds; }
    const ThresholdStudy& study() const { return studyPanel_->study(); }
    // Shown when some of the images that judge the thresholds are validation images too.
    const QLabel* overlapWarning() const { return studyPanel_->overlapWarning(); }
    std::size_t validationImages() const { return validationImages_; }
    QTableWidget* table() const;
    ThresholdSweepPlot* sweep() const { return studyPanel_->sweep(); }

    // Empty strings on success, else what went wrong.
    QString loadJson(const QString& path);
    QString saveJson(const QString& path) const;
    // How `run` differs from the run the thresholds came from (another model's name, method, T
    // or augmentation: means on another scale), one sentence each; empty when they agree.
    std::vector<std::string> differencesFrom(const ThresholdsRun& run) const;
    QString writeStudyCsv(const QString& path) const { return studyPanel_->writeStudyCsv(path); }

  signals:
    void runRequested(const QStringList& validationInputs);
    void thresholdsChanged(const std::vector<float>& thresholds);  // empty: none

  private:
    void buildLayout();
    void connectControls();
    void chooseFolder();
    void recomputeThresholds();  // from the validation set at the current q
    void updateSweep();
    void updateControls();
    // What Save writes, but for the model: that of the thresholds (Save: the open one's).
    ThresholdsFile currentFile() const;

    QString modelName_;
    std::string thresholdsModel_;  // the model the thresholds were computed for
    QStringList classes_;
    QStringList validationInputs_;
    ThresholdSource source_ = ThresholdSource::None;
    QString sourceFile_;
    ThresholdCollector collector_;
    std::size_t validationImages_ = 0;
    std::string validationMethod_;
    int validationSamples_ = 0;
    AugmentPolicy validationAugmentation_;         // the means came from TTA when enabled
    std::optional<std::uint64_t> validationSeed_;  // kept from a loaded file that has one
    ClassThresholds current_;
    bool running_ = false;

    QLabel* sourceLabel_;
    QPushButton* choose_;
    QPushButton* run_;
    QSlider* slider_;
    QDoubleSpinBox* percentile_;
    QPushButton* load_;
    QPushButton* save_;
    QPushButton* export_;
    ThresholdStudyPanel* studyPanel_;
};

}  // namespace ue::ui
