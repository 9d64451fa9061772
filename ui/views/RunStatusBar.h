#pragma once
#include <QStatusBar>

#include "engine/McEngine.h"

class QLabel;
class QPushButton;

namespace ue::ui {

struct ModelInfo;

// Model name · whether it has stochastic layers · images analysed / failed (click: the errors).
class RunStatusBar : public QStatusBar {
    Q_OBJECT
  public:
    explicit RunStatusBar(QWidget* parent = nullptr);

    void showLoading(const QString& fileName);
    void showNoModel();
    void showModel(const ModelInfo& info);
    // "6 of 10 analysed · 4 failed · 4 skipped": skipped are inputs that never became images.
    void showCounts(int analysed, int total, int failed, int skipped, bool partial);
    // The chosen method: that passes of a model without stochastic layers are all the same is a
    // warning under MC dropout and merely a fact under a deterministic run.
    void setMethod(ue::Method method);

  signals:
    void errorsRequested();

  private:
    void showStochastic();

    QString stochasticText_;
    bool passesAreIdentical_ = false;
    ue::Method method_ = ue::Method::McDropout;
    QLabel* model_;
    QLabel* stochastic_;
    QPushButton* counts_;
};

}  // namespace ue::ui
