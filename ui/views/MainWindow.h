#pragma once
#include <QMainWindow>
#include <QStringList>
#include <QTimer>

#include "AppSettings.h"
#include "views/AnalysisTabs.h"
#include "views/CentralTabs.h"
#include "worker/InferenceWorker.h"

class QMenu;

namespace ue::ui {

class AugmentedCopiesView;
class BrowserView;
class CalibrationView;
class ComparisonView;
class ConformalView;
class GammaSweepView;
class InspectorView;
class OodView;
class RankBreakdownView;
class RankingView;
class ThresholdsView;
class RunController;
class RunStatusBar;
class ResultsModel;
class RunToolbar;
class ThumbnailCache;
class WindowMenus;

// Composes the views and routes between them and the inference session; it draws nothing
// itself. Every way of opening things (menu, recent files, command line, drag and drop) goes
// through openPaths().
class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Models (.pt, .json manifests) and images/folders, in any mix.
    void openPaths(const QStringList& paths);
    void openModel(const QString& path);
    void setInputs(const QStringList& inputs);
    // Starts a run as soon as the model is loaded (for --run and the demo).
    void setAutoRun(bool autoRun);
    void startRun();
    void cancelRun();
    // Every input image at every γ the sweep view asks for, with the toolbar's run options.
    void startGammaSweep(const QVector<double>& gammas);

    // Per-class thresholds JSON (from `uncertainty-cli thresholds`) for the current model: the
    // histograms draw them and the inspector shows the threshold rule. Returns the error, if any.
    QString loadThresholds(const QString& path);

    // Atomic exports; return an empty string on success, else the error.
    QString exportResultsCsv(const QString& path) const;
    QString exportRawSamples(const QString& path) const;

    InferenceSession* session() const { return session_; }
    ResultsModel* results() const { return results_; }
    BrowserView* browser() const { return browser_; }
    InspectorView* inspector() const { return central_->inspector(); }
    AnalysisTabs* analysis() const { return analysis_; }
    RankingView* ranking() const { return analysis_->ranking(); }
    GammaSweepView* gammaSweep() const { return central_->gammaSweep(); }
    AugmentedCopiesView* augmentedCopies() const { return central_->copies(); }
    // The test-time augmentation of the next runs: toolbar, the copies tab and, when
    // `remember`, the settings (a command-line policy is for this session only).
    void setAugmentPolicy(const AugmentPolicy& policy, bool remember = true);
    CalibrationView* calibration() const { return analysis_->calibration(); }
    OodView* ood() const { return analysis_->ood(); }
    // Runs the OOD view's out-of-distribution set (the current results are in-distribution).
    void startOodRun(const QStringList& outInputs);
    ThresholdsView* thresholdStudy() const { return analysis_->thresholds(); }
    ConformalView* conformal() const { return analysis_->conformal(); }
    RankBreakdownView* rankBreakdown() const { return analysis_->rankBreakdown(); }
    // Runs a labelled validation set for the per-class thresholds.
    void startValidationRun(const QStringList& validationInputs);
    // Methods side by side on the open images (the Compare tab).
    ComparisonView* comparison() const { return central_->comparison(); }
    void showCentralTab(CentralTabs::Tab tab);
    CentralTabs::Tab currentCentralTab() const;
    RunToolbar* runToolbar() const { return toolbar_; }
    // What the error list dialog shows: inputs that could not be listed, then failed images,
    // each naming the file and the problem.
    QStringList errorList() const;
    const QStringList& inputs() const { return inputs_; }

  signals:
    void modelReady();
    void runFinished();
    void gammaSweepFinished();
    void oodRunFinished();
    void validationRunFinished();

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    void buildDocks();
    void connectSession();
    void connectComparison();
    // Hands thresholds to the inspector, the gamma sweep and the browser (empty: none).
    void applyThresholds(const std::vector<float>& thresholds);
    void showSelected(int sourceRow);
    void refreshViews();
    void updateStatus();
    void updateTitle();

    AppSettings settings_;
    InferenceSession* session_;
    ThumbnailCache* thumbnails_;
    ResultsModel* results_;
    RunToolbar* toolbar_;
    BrowserView* browser_ = nullptr;
    CentralTabs* central_ = nullptr;
    AnalysisTabs* analysis_ = nullptr;
    std::vector<float> thresholds_;  // of the current model, when loaded
    WindowMenus* menus_ = nullptr;
    RunStatusBar* status_;
    RunController* runs_ = nullptr;
    QTimer refreshTimer_;
    QStringList inputs_;
    QStringList inputProblems_;
    QString modelPath_;
    QString modelName_;
    bool autoRun_ = false;
    bool viewsDirty_ = false;
    bool sweepDirty_ = false;
    bool runPartial_ = false;
    SampleAxes runAxes_;  // how the last main run laid out each image's raw samples
    int inspectedRow_ = -1;
    bool inspectedComplete_ = false;
};

}  // namespace ue::ui
