#pragma once
#include <QWidget>
#include <vector>

#include "Metatypes.h"
#include "metrics/Conformal.h"
#include "model/CalibrationOverlap.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace ue::ui {

class ResultsModel;
class SetSizePlot;

// Split conformal prediction over the current run: calibrated on the labelled validation run
// (the same one the Thresholds tab uses), at a chosen α with LAC or APS. Shows q̂, the
// empirical coverage against the 1 − α target, the set-size distribution; the inspector shows
// the selected image's set (conformalChanged tells the window when that changes).
class ConformalView : public QWidget {
    Q_OBJECT
  public:
    explicit ConformalView(ResultsModel* results, QWidget* parent = nullptr);

    // A new model: its validation results are dropped.
    void setClasses(const QStringList& classes);
    // The validation run: started, results streamed in, finished (`source` names its inputs).
    void beginValidation();
    void addValidationResults(const ResultBatch& batch);
    void finishValidation(const QString& source, bool cancelled);
    void setRunning(bool running);
    // Re-evaluates the current run's results (the test set).
    void refresh();

    void setAlpha(double alpha);
    void setMethod(ConformalMethod method);
    double alpha() const;
    ConformalMethod method() const;
    // True once calibrated (a validation set with labelled images has run).
    bool isCalibrated() const { return calibrationImages() > 0; }
    std::size_t calibrationImages() const;
    double qhat() const { return qhat_; }
    const ConformalEvaluator& evaluation() const { return evaluation_; }
    SetSizePlot* sizes() const { return sizes_; }
    // How many of the evaluated images were calibration images too (their coverage is
    // optimistic), and the warning that says so, shown only then.
    std::size_t evaluatedCalibrationImages() const { return evaluatedCalibrationImages_; }
    const QLabel* overlapWarning() const { return overlapWarning_; }
    // The selected method's set for an image (most probable class first).
    std::vector<int> setFor(const ImageSummary& summary) const;
    // The current run's sets as `uncertainty-cli conformal --out` writes them (one method).
    QString writeSetsCsv(const QString& path) const;

  signals:
    void runRequested();
    void conformalChanged();

  private:
    void recompute();
    ResultsModel* results_;
    QStringList classes_;
    ConformalCalibrator lac_{ConformalMethod::Lac};
    ConformalCalibrator aps_{ConformalMethod::Aps};
    double qhat_ = 0;
    ConformalEvaluator evaluation_{0};
    CalibrationOverlap overlap_;
    std::size_t evaluatedCalibrationImages_ = 0;
    QString source_;
    bool running_ = false;

    QLabel* sourceLabel_;
    QPushButton* run_;
    QDoubleSpinBox* alpha_;
    QComboBox* method_;
    QPushButton* export_;
    QLabel* summary_;
    QLabel* overlapWarning_;
    SetSizePlot* sizes_;
};

}  // namespace ue::ui
