#pragma once
#include <QObject>
#include <QStringList>
#include <QVector>
#include <vector>

#include "Metatypes.h"
#include "engine/McEngine.h"
#include "views/AnalysisTabs.h"

namespace ue::ui {

class ComparisonView;
class GammaSweepView;
class InferenceSession;
class RunStatusBar;
class RunToolbar;

// Starts the runs the window offers on the one inference session — the main run, a gamma
// sweep, an out-of-distribution set, a validation set, a comparison of methods — and remembers
// which one the worker is busy with, so that its streamed results, its end and a failure reach the
// views that asked for it. The main run's results stay with MainWindow, which owns the browser and
// inspector.
class RunController : public QObject {
    Q_OBJECT
  public:
    enum class Kind { Main, GammaSweep, Ood, Validation, Comparison };

    RunController(InferenceSession* session, RunToolbar* toolbar, AnalysisTabs* analysis,
                  GammaSweepView* gammaSweep, ComparisonView* comparison, RunStatusBar* status,
                  QObject* parent = nullptr);

    Kind kind() const { return kind_; }
    void startMain(const QStringList& inputs, const RunOptions& options);
    // Each returns false, with a status message, while a run is going or no model is open.
    bool startGammaSweep(const QStringList& inputs, const QVector<double>& gammas,
                         const QStringList& classes, const std::vector<float>& thresholds);
    // `analysedInDistribution`: the current results, which are the in-distribution side.
    bool startOod(const QStringList& outInputs, int analysedInDistribution);
    bool startValidation(const QStringList& validationInputs);
    // Every method on `inputs` (and `oodInputs`); needs images, not an open model.
    bool startComparison(const QStringList& inputs, const QStringList& oodInputs,
                         const MethodList& methods);

  signals:
    // A run failed: the error is on the status bar; views should redraw what they have.
    void failed();
    // The main run failed (a normal end is InferenceWorker::runFinished).
    void mainFailed();
    void gammaResultsArrived();
    void gammaSweepFinished();
    void oodFinished();
    void validationFinished();

  private:
    bool canStartAuxiliary(const QString& missing);
    AnalysisTabs::Auxiliary auxiliaryKind() const;

    InferenceSession* session_;
    RunToolbar* toolbar_;
    AnalysisTabs* analysis_;
    GammaSweepView* gammaSweep_;
    ComparisonView* comparison_;
    RunStatusBar* status_;
    Kind kind_ = Kind::Main;
};

}  // namespace ue::ui
