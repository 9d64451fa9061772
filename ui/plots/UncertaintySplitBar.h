#pragma once
#include <QRectF>
#include <QWidget>
#include <array>

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
    // Room for the bar and two lines of captions.
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {80, sizeHint().height()}; }

    // A caption under the bar ("aleatoric 1.085 (100%)") as drawn: its text, cut to fit when
    // the widget is narrow, and where it goes. The aleatoric one first, at the left; the
    // epistemic one at the right, on the same line when both fit with a gap, else on a line of
    // its own.
    struct Caption {
        QString text;
        QRectF rect;
    };
    std::array<Caption, 2> captions() const;
    QFont captionFont() const;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    bool empty_ = true;
    double aleatoric_ = 0;
    double epistemic_ = 0;
    double maximum_ = 1;
};

}  // namespace ue::ui
