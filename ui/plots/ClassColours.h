#pragma once
// The colours both pictures of one image's classes use (ClassHistogramsPlot for many passes,
// ClassProbabilityPlot for one), so that switching between them reads alike.
#include <QColor>

namespace ue::ui {

inline const QColor kClassBarColour(0x4c, 0x72, 0xb0);
inline const QColor kPredictedClassColour(0xdd, 0x84, 0x52);
inline const QColor kClassThresholdColour(0xc0, 0x39, 0x2b);

}  // namespace ue::ui
