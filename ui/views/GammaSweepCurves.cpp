#include "views/GammaSweepCurves.h"

#include <QObject>
#include <cmath>

#include "plots/PlotPalette.h"

namespace ue::ui {

std::vector<GammaCurvesPlot::Curve> sweepSetCurves(const std::vector<GammaPoint>& points) {
    const bool labelled = !points.empty() && points.front().metrics.labelled > 0;
    const bool thresholded = labelled && points.front().metrics.hasThresholdRule;
    // Shares on the left axis.
    const auto share = [](const char* name, const QColor& colour, Qt::PenStyle style,
                          QCPScatterStyle::ScatterShape marker = QCPScatterStyle::ssCircle) {
        return GammaCurvesPlot::Curve{QObject::tr(name), {}, colour, false, style, marker};
    };
    std::vector<GammaCurvesPlot::Curve> curves;
    if (labelled) {
        curves.push_back(share("accuracy", kSeriesBlue, Qt::SolidLine));
        curves.push_back(share("median rule: coverage", kSeriesGreen, Qt::DashLine));
        curves.push_back(share("median rule: accuracy of covered", kSeriesBlue, Qt::DashLine));
    }
    // Coverage green and accuracy blue as for the median rule, so that the line and its marker
    // tell the rules apart: the free hues mean other things on this plot (orange the picked γ,
    // grey the γ = 1 line).
    if (thresholded) {
        curves.push_back(share("threshold rule: coverage", kSeriesGreen, Qt::DashDotLine,
                               QCPScatterStyle::ssDiamond));
        curves.push_back(share("threshold rule: accuracy of covered", kSeriesBlue, Qt::DashDotLine,
                               QCPScatterStyle::ssDiamond));
    }
    curves.push_back({QObject::tr("mean entropy"), {}, kSeriesRed, true});
    curves.push_back({QObject::tr("mean mutual information"), {}, kSeriesPurple, true});
    const double gap = std::nan("");
    // Covering no image, a rule has no accuracy: a gap, not a fall to 0.
    const auto covered = [&](double coverage, double accuracy) {
        return coverage > 0 ? accuracy : gap;
    };
    for (const auto& point : points) {
        const auto& m = point.metrics;
        std::vector<double> values;
        if (labelled) {
            values = {m.accuracy, m.medianRuleCoverage,
                      covered(m.medianRuleCoverage, m.medianRuleCoveredAccuracy)};
        }
        if (thresholded) {
            values.push_back(m.thresholdRuleCoverage);
            values.push_back(covered(m.thresholdRuleCoverage, m.thresholdRuleCoveredAccuracy));
        }
        values.push_back(m.meanPredictiveEntropy);
        values.push_back(m.meanMutualInformation);
        for (std::size_t c = 0; c < curves.size(); ++c) {
            curves[c].values.push_back(values[c]);
        }
    }
    return curves;
}

std::vector<GammaCurvesPlot::Curve> sweepImageCurves(const GammaSweepData::Image& image, int cls,
                                                     const QString& className) {
    const double gap = std::nan("");
    std::vector<GammaCurvesPlot::Curve> curves(4);
    curves[0] = {QObject::tr("p̄(%1)").arg(className), {}, kSeriesBlue};
    curves[1] = {QObject::tr("max p̄"), {}, kSeriesGrey, false, Qt::DashLine};
    curves[2] = {QObject::tr("entropy"), {}, kSeriesRed, true};
    curves[3] = {QObject::tr("mutual information"), {}, kSeriesPurple, true};
    for (std::size_t i = 0; i < image.ok.size(); ++i) {
        const bool ok = image.ok[i];
        const ImageSummary& s = image.atGamma[i];
        curves[0].values.push_back(ok && cls >= 0 ? s.mean[std::size_t(cls)] : gap);
        curves[1].values.push_back(ok ? s.maxProbability : gap);
        curves[2].values.push_back(ok ? s.predictiveEntropy : gap);
        curves[3].values.push_back(ok ? s.mutualInformation : gap);
    }
    return curves;
}

}  // namespace ue::ui
