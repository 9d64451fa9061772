#pragma once
#include <QColor>
#include <vector>

#include "plots/ExportablePlot.h"

namespace ue::ui {

// Curves against γ on a logarithmic axis: shares (accuracy, coverage, probabilities) on the
// left axis, uncertainties in nats on the right, γ = 1 (the image as it is) dotted and the γ
// picked in the view dashed. Used for the set-level sweep and for the selected image.
class GammaCurvesPlot : public ExportablePlot {
    Q_OBJECT
  public:
    struct Curve {
        QString name;
        std::vector<double> values;  // one per γ; NaN leaves a gap
        QColor color;
        bool onRightAxis = false;
        Qt::PenStyle style = Qt::SolidLine;
        QCPScatterStyle::ScatterShape marker = QCPScatterStyle::ssCircle;
    };

    explicit GammaCurvesPlot(QWidget* parent = nullptr);

    void setCurves(const std::vector<double>& gammas, const std::vector<Curve>& curves,
                   const QString& title);
    void markGamma(double gamma);
    void showMessage(const QString& message);

    // What is drawn, for tests.
    int curveCount() const { return graphCount(); }
    QVector<double> curveValues(int curve) const;
    QString curveName(int curve) const { return graph(curve)->name(); }

    void resetZoom() override;

  private:
    QCPTextElement* title_;
    QCPItemStraightLine* identity_;
    QCPItemStraightLine* marker_;
    double markedGamma_ = 1.0;
};

}  // namespace ue::ui
