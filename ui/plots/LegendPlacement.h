#pragma once
class QCPLegend;
class QCustomPlot;

namespace ue::ui {

// Moves the plot's legend out of its axes into a row of the layout under them, entries side
// by side: for plots whose curves reach every corner, where an inset legend covers some.
// `row`: the layout row below the axes (1 without a title row, 2 with one).
void putLegendUnderAxes(QCustomPlot& plot, int row);

// As many columns of entries as `width` pixels hold, widest entry first, up to `maxColumns`.
// Call when the entries change and on every resize.
void fitLegendColumns(QCPLegend* legend, int width, int maxColumns);

}  // namespace ue::ui
