#pragma once
#include <QWidget>

namespace ue::ui {

// One image's total uncertainty (predictive entropy) as a bar split into its aleatoric part
// (expected entropy: noise the model sees in the image) and its epistemic part (mutual
// information: disagreement between passes or members), drawn against the largest possible
// entropy, ln C, so bars of different images compare at a glance.
class UncertaintySplitBar : public QWidget {
    Q_OBJECT
  public:
    explicit UncertaintySplitBar(QWidget* parent = nullptr);

    void setSplit(double aleatoric, double epistemic, int classes);
    void clear();

    double aleatoric() const { return aleatoric_; }
    double epistemic() const { return epistemic_; }
    QSize sizeHint() const override { return {224, 40}; }

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    bool empty_ = true;
    double aleatoric_ = 0;
    double epistemic_ = 0;
    double maximum_ = 1;
};

}  // namespace ue::ui
