#pragma once
class QCPLegend;

namespace ue::ui {

// A legend of methods laid out side by side (QCPLegend::foColumnsFirst) under a narrow plot:
// names too long for their column's share of `plotWidth` are elided in the middle, which keeps
// the "T=30 K=10" that tells methods apart; the full names stay with the plottables (and in the
// comparison table). Call once the plottables are named (it keeps those names as the full
// ones) and on every resize.
void fitLegendNames(QCPLegend* legend, int plotWidth);

}  // namespace ue::ui
