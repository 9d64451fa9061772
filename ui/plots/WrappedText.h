#pragma once
#include <QString>

class QFontMetrics;

namespace ue::ui {

// `text` with line breaks put between words so that no line is wider than `width` pixels in
// `metrics` (a single word wider than that keeps its own line). QCustomPlot's text elements
// and items draw one line per '\n' and never wrap by themselves. Existing breaks are kept.
QString wrapToWidth(const QString& text, const QFontMetrics& metrics, int width);

}  // namespace ue::ui
