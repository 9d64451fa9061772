#pragma once
#include <QToolBar>

#include "engine/McEngine.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QSpinBox;

namespace ue::ui {

// Open model/images, method, T, seed, device (the CPU and every GPU the linked LibTorch can
// use) with its precision, run/cancel, and the run's progress (images/s, time left).
class RunToolbar : public QToolBar {
    Q_OBJECT
  public:
    explicit RunToolbar(QWidget* parent = nullptr);

    RunOptions options() const;
    // Inference threads a GUI run uses.
    static int inferenceThreads();
    void setOptions(Method method, int samples, std::uint64_t seed);
    // Shows the K (logit draws per pass) box, which only a heteroscedastic model uses.
    void setHeteroscedastic(bool heteroscedastic);
    bool showsLogitSamples() const;
    // Test-time augmentation of the next run (off when copies is 0); the TTA button shows it.
    void setAugmentPolicy(const AugmentPolicy& policy);
    const AugmentPolicy& augmentPolicy() const { return augmentPolicy_; }
    void setRunning(bool running);
    void setCanRun(bool canRun);
    void showProgress(const RunProgress& progress);
    void showFinished(const RunReport& report);
    // A run that ends without a report of its own (a comparison of several methods): the last
    // rate seen, marked done or cancelled instead of "0 s left".
    void showEnded(bool cancelled);

    QAction* openModelAction() const { return openModel_; }
    QAction* openImagesAction() const { return openImages_; }
    QAction* runAction() const { return run_; }
    QAction* cancelAction() const { return cancel_; }
    QAction* augmentAction() const { return augment_; }

  signals:
    void runRequested();
    void methodChanged(ue::Method method);
    void cancelRequested();
    void augmentationRequested();

  private:
    QAction* openModel_;
    QAction* openImages_;
    QAction* run_;
    QAction* cancel_;
    QComboBox* method_;
    QSpinBox* samples_;
    QSpinBox* logitSamples_;
    QAction* logitSamplesLabel_;
    QAction* logitSamplesSpin_;
    QSpinBox* seed_;
    QComboBox* device_;
    QComboBox* precision_;
    QAction* augment_;
    AugmentPolicy augmentPolicy_;
    QProgressBar* progress_;
    QLabel* rate_;
    double lastRate_ = 0;
};

}  // namespace ue::ui
