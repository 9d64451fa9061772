#include "plots/LegendNames.h"

#include <qcustomplot.h>

#include <QFontMetrics>
#include <algorithm>

namespace ue::ui {

namespace {
// Where a plottable keeps the name it was given, while the legend shows a shorter one.
constexpr const char* kFullName = "ueFullName";
}  // namespace

void fitLegendNames(QCPLegend* legend, int plotWidth) {
    const int count = legend->itemCount();
    if (count == 0) {
        return;
    }
    const int columns = std::clamp(legend->wrap() > 0 ? legend->wrap() : count, 1, count);
    const QMargins outer = legend->margins();
    // Each item: its margins, the icon and the gap after it, then the text.
    const QMargins itemMargins = legend->item(0)->margins();
    const int perItem = itemMargins.left() + itemMargins.right() + legend->iconSize().width() +
                        legend->iconTextPadding() + legend->columnSpacing();
    const int textWidth =
        std::max(24, (plotWidth - outer.left() - outer.right()) / columns - perItem);
    const QFontMetrics metrics(legend->font());
    for (int i = 0; i < count; ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
        if (!item) {
            continue;
        }
        QCPAbstractPlottable* plottable = item->plottable();
        // The plots make new plottables for each image: the first call sees the full name.
        QVariant full = plottable->property(kFullName);
        if (!full.isValid()) {
            full = plottable->name();
            plottable->setProperty(kFullName, full);
        }
        plottable->setName(metrics.elidedText(full.toString(), Qt::ElideMiddle, textWidth));
    }
}

}  // namespace ue::ui
