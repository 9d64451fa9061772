#pragma once
#include <QString>
#include <vector>

#include "model/GammaSweepData.h"
#include "plots/GammaCurvesPlot.h"

namespace ue::ui {

// What GammaSweepView draws against γ, kept apart from the view's widgets so that the choice
// of curves (and which of them exist without labels or thresholds) reads in one place.

// The set's curves: accuracy and each rule's coverage and covered accuracy where the images are
// labelled (the threshold rule's only where thresholds were given), then the mean entropy and
// mutual information.
std::vector<GammaCurvesPlot::Curve> sweepSetCurves(const std::vector<GammaPoint>& points);

// One image's curves: p̄ of class `cls` (none when it is -1), named `className`, the top p̄, the
// entropy and the mutual information; gaps at the γ values where it failed.
std::vector<GammaCurvesPlot::Curve> sweepImageCurves(const GammaSweepData::Image& image, int cls,
                                                     const QString& className);

}  // namespace ue::ui
