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
    void setRunning(bool running);
    void setCanRun(bool canRun);
    void showProgress(const RunProgress& progress);
    void showFinished(const RunReport& report);

    QAction* openModelAction() const { return openModel_; }
    QAction* openImagesAction() const { return openImages_; }
    QAction* runAction() const { return run_; }
    QAction* cancelAction() const { return cancel_; }

  signals:
    void runRequested();
    void cancelRequested();

  private:
    QAction* openModel_;
    QAction* openImages_;
    QAction* run_;
    QAction* cancel_;
    QComboBox* method_;
    QSpinBox* samples_;
    QSpinBox* seed_;
    QComboBox* device_;
    QComboBox* precision_;
    QProgressBar* progress_;
    QLabel* rate_;
};

}  // namespace ue::ui
