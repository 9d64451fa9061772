#pragma once
#include <QStringList>
#include <QWidget>
#include <string>

#include "metrics/ThresholdStudy.h"
#include "metrics/Thresholds.h"
#include "model/CalibrationOverlap.h"

class QLabel;
class QTableWidget;

namespace ue::ui {

class ResultsModel;
class ThresholdStudyTable;
class ThresholdSweepPlot;

// q moves in steps of 0.5 up to 50: the slider stops at the very values the sweep samples.
inline constexpr int kPercentileSteps = 2;  // per unit of q
inline constexpr double kMaxPercentile = 50.0;

enum class ThresholdSource { None, Validation, File };

// The current run (the test set) judged with the per-class thresholds: accuracy and coverage
// before and after, per true class and overall, a warning when validation images are among
// the judging ones, and coverage/accuracy against q. Where the thresholds come from is
// ThresholdsView's business; this panel is told them.
class ThresholdStudyPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ThresholdStudyPanel(ResultsModel* results, QWidget* parent = nullptr);

    void setClasses(const QStringList& classes);
    // The validation images the thresholds come from; a judged image among them is counted.
    void clearValidationImages();
    void addValidationImage(const std::string& path);
    // Reads the current run's labelled results anew: the images to judge on, and which of
    // them are validation images.
    void judgeRun();
    // The validation images changed but the run did not.
    void recountValidationImages();

    // Table, summary and warning for `thresholds` (none: says how to get some).
    void showStudy(const ClassThresholds& thresholds);
    // The curves against q; only thresholds from a validation set can be tuned.
    void showSweep(ThresholdSource source, const ThresholdCollector& collector, double percentile);

    const ThresholdStudy& study() const { return study_; }
    const QLabel* overlapWarning() const { return overlapWarning_; }
    ThresholdStudyTable* table() const { return table_; }
    ThresholdSweepPlot* sweep() const { return sweep_; }
    QString writeStudyCsv(const QString& path) const;

  private:
    // Counts the judged validation images, and with `judge` adds each result to the evaluator.
    void walkRows(bool judge);
    bool isJudgedValidationImage(int row, const ImageResult& result);

    ResultsModel* results_;
    QStringList classes_;
    ThresholdEvaluator evaluator_;
    ClassThresholds shown_;  // what study_ judges, kept for the CSV
    ThresholdStudy study_;
    // The validation images among the labelled images of the current run that judge the
    // thresholds (a loaded file names none).
    CalibrationOverlap overlap_;
    std::size_t judgedValidationImages_ = 0;

    QLabel* summary_;
    QLabel* overlapWarning_;
    ThresholdStudyTable* table_;
    ThresholdSweepPlot* sweep_;
};

}  // namespace ue::ui
