#pragma once
#include <QElapsedTimer>
#include <QSet>
#include <QStringList>
#include <QTabWidget>
#include <functional>
#include <vector>

#include "Metatypes.h"
#include "metrics/Scores.h"

namespace ue::ui {

class CalibrationView;
class ConformalView;
class OodView;
class RankBreakdownView;
class RankingView;
class ResultsModel;
class ThresholdsView;
class ThumbnailCache;

// The analysis dock's tabs: the views that look at the whole run (ranking, calibration, true
// rank, thresholds, conformal, OOD). It refreshes them as results stream in, and feeds the
// auxiliary runs to the views they belong to: a validation set to Thresholds and Conformal,
// an out-of-distribution set to OOD. Running anything is the window's job: requests come out
// as signals.
class AnalysisTabs : public QTabWidget {
    Q_OBJECT
  public:
    AnalysisTabs(ResultsModel* results, ThumbnailCache* thumbnails, QWidget* parent = nullptr);

    RankingView* ranking() const { return ranking_; }
    CalibrationView* calibration() const { return calibration_; }
    RankBreakdownView* rankBreakdown() const { return rankBreakdown_; }
    ThresholdsView* thresholds() const { return thresholds_; }
    ConformalView* conformal() const { return conformal_; }
    OodView* ood() const { return ood_; }

    // A new model: what the views hold from the previous one (thresholds, calibration, OOD
    // scores) goes.
    void setModel(const QString& name, const QStringList& classes);
    // The scores the model offers (scoresFor()): the pickers, curves and tables of Ranking,
    // Calibration, True rank and OOD follow.
    void setScores(const std::vector<Score>& scores);
    void setRunning(bool running);
    // After results arrived. During a run only the visible, cheap views redraw, at most twice
    // a second; after it, all of them.
    void refresh(bool running);

    enum class Auxiliary { Validation, Ood };
    void beginAuxiliary(Auxiliary kind, const QStringList& inputs, const RunOptions& options);
    void addAuxiliaryResults(Auxiliary kind, const ResultBatch& batch);
    void finishAuxiliary(Auxiliary kind, const RunReport& report);

    // Shows each tab that has something to show and hands it to `save` with a file name.
    void saveScreenshots(const std::function<void(QWidget*, const QString&)>& save);

  signals:
    void rowsChosen(const QSet<int>& sourceRows, const QString& why);
    void imageActivated(int sourceRow);
    void validationRequested(const QStringList& inputs);
    void oodRequested(const QStringList& inputs);
    void thresholdsChanged(const std::vector<float>& thresholds);
    void conformalChanged();

  private:
    QString validationSourceName() const;
    RankingView* ranking_;
    CalibrationView* calibration_;
    RankBreakdownView* rankBreakdown_;
    ThresholdsView* thresholds_;
    ConformalView* conformal_;
    OodView* ood_;
    QElapsedTimer rankingClock_;
};

}  // namespace ue::ui
