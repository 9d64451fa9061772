#pragma once
// The window's one palette: every colour its plots (and the few tables and labels that share
// their meanings) draw with. The hues come first, then what they mean: a meaning that several
// plots share has one name here, so that it reads alike from plot to plot. Translucent fills are
// a role's colour withAlpha().
#include <QColor>

namespace ue::ui {

// Series hues (seaborn's "deep"), for curves whose colour means nothing beyond telling them
// apart, and the hues the roles below name.
inline const QColor kSeriesBlue(0x4c, 0x72, 0xb0);
inline const QColor kSeriesOrange(0xdd, 0x84, 0x52);
inline const QColor kSeriesGreen(0x55, 0xa8, 0x68);
inline const QColor kSeriesRed(0xc4, 0x4e, 0x52);
inline const QColor kSeriesPurple(0x81, 0x72, 0xb2);
inline const QColor kSeriesBrown(0x93, 0x78, 0x60);
inline const QColor kSeriesPink(0xda, 0x8b, 0xc3);
inline const QColor kSeriesGrey(0x80, 0x80, 0x80);
// A strong red for what must catch the eye: cuts and warnings.
inline const QColor kAlertRed(0xc0, 0x39, 0x2b);

// What a plot measures when it draws one thing: class probabilities, boxes, set sizes, a
// score's curve, in-distribution images, copies that agree.
inline const QColor& kMeasuredColour = kSeriesBlue;
// What a plot singles out against it: out-of-distribution images, copies that predict another
// class, empty prediction sets.
inline const QColor& kFlaggedColour = kSeriesRed;
// One image's classes (ClassHistogramsPlot for many passes, ClassProbabilityPlot for one), so
// that switching between the two reads alike.
inline const QColor& kClassBarColour = kMeasuredColour;
inline const QColor& kPredictedClassColour = kSeriesOrange;
inline const QColor& kTrueClassColour = kSeriesGreen;
// A cut that values are judged against: a class's decision threshold, the ranking's top-N.
inline const QColor& kThresholdColour = kAlertRed;
// The value picked on a curve (γ, percentile q, coverage): a dashed vertical line.
inline const QColor& kPickedValueColour = kSeriesOrange;
// The median line and the mean's diamond over a class's histogram.
inline const QColor kCentreColour(0x1f, 0x2d, 0x3d);
// The median line of GroupBoxPlot's boxes (a shade bluer than kCentreColour).
inline const QColor kBoxMedianColour(0x1f, 0x2d, 0x4d);
// Reference lines: the diagonal of perfect calibration, the line at γ = 1; ROC's line of chance.
inline const QColor kReferenceLineColour(0x88, 0x88, 0x88);
inline const QColor kChanceLineColour(0x99, 0x99, 0x99);
// The aleatoric and epistemic parts of the uncertainty (UncertaintySplitBar).
inline const QColor kAleatoricColour(0x2e, 0x86, 0xc1);
inline const QColor kEpistemicColour(0xe6, 0x7e, 0x22);

// The images per bin, under the reliability diagram.
inline const QColor kCountColour(0x6b, 0x75, 0x80);
// Text on plots: keys and placeholders; numbers by bars (and the copies' mean line, drawn in
// the same ink).
inline const QColor kKeyTextColour(0x55, 0x5b, 0x66);
inline const QColor kInkColour(0x33, 0x33, 0x33);
// White backdrops under a legend, and under a label drawn over bars.
inline const QColor kLegendBackdrop(255, 255, 255, 220);
inline const QColor kLabelBackdrop(255, 255, 255, 210);

// Tables and tiles: what went wrong (a misclassified image, a method that failed); an augmented
// copy whose prediction agrees with the run's, or not (AugmentedCopiesGrid's tiles); a
// comparison's best value.
inline const QColor& kWarningColour = kAlertRed;
inline const QColor kCopyAgreesColour(0x2e, 0x7d, 0x32);
inline const QColor kCopyDisagreesColour(0xc6, 0x28, 0x28);
inline const QColor kBestCellColour(0xd5, 0xf0, 0xdc);

// One colour per compared method: colour-blind-safe (Okabe-Ito), in an order where neighbours
// differ most.
inline const QColor kMethodColours[] = {QColor(0x00, 0x72, 0xb2), QColor(0xe6, 0x9f, 0x00),
                                        QColor(0x00, 0x9e, 0x73), QColor(0xcc, 0x79, 0xa7),
                                        QColor(0xd5, 0x5e, 0x00), QColor(0x56, 0xb4, 0xe9),
                                        QColor(0x55, 0x55, 0x55), QColor(0xf0, 0xe4, 0x42)};

// `colour` with the given alpha (0-255).
inline QColor withAlpha(QColor colour, int alpha) {
    colour.setAlpha(alpha);
    return colour;
}

}  // namespace ue::ui
