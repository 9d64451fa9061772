#pragma once
#include <QString>

class QCustomPlot;

namespace ue::ui {

enum class PlotFormat { Png, Svg, Pdf };

// The format a file name asks for (by extension), PNG when unknown.
PlotFormat plotFormatForPath(const QString& path);

// Renders `plot` at width x height (logical pixels; PNG multiplied by dpi / 96) and writes it
// atomically (AtomicFile): the target is either the old file or the complete new one.
// Returns an empty string on success, or what went wrong.
QString exportPlot(QCustomPlot& plot, const QString& path, int width, int height, int dpi = 96);

}  // namespace ue::ui
