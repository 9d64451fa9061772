#include "plots/LegendPlacement.h"

#include <qcustomplot.h>

#include <QFontMetrics>
#include <algorithm>

namespace ue::ui {

void putLegendUnderAxes(QCustomPlot& plot, int row) {
    QCPLegend* legend = plot.legend;
    legend->setVisible(true);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setRowSpacing(0);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setMargins(QMargins(4, 0, 4, 2));
    // Short line samples leave the room to the names.
    legend->setIconSize(18, 10);
    plot.axisRect()->insetLayout()->take(legend);
    plot.plotLayout()->addElement(row, 0, legend);
    plot.plotLayout()->setRowStretchFactor(row, 0.001);
}

void fitLegendColumns(QCPLegend* legend, int width, int maxColumns) {
    const int count = legend->itemCount();
    if (count == 0) {
        return;
    }
    const QFontMetrics metrics(legend->font());
    int widest = 0;
    for (int i = 0; i < count; ++i) {
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i))) {
            widest = std::max(widest, metrics.horizontalAdvance(item->plottable()->name()));
        }
    }
    const QMargins itemMargins = legend->item(0)->margins();
    const int perItem = widest + itemMargins.left() + itemMargins.right() +
                        legend->iconSize().width() + legend->iconTextPadding() +
                        legend->columnSpacing();
    const int room = width - legend->margins().left() - legend->margins().right();
    const int columns = std::clamp(room / std::max(1, perItem), 1, std::min(maxColumns, count));
    if (columns != legend->wrap()) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    }
}

}  // namespace ue::ui
