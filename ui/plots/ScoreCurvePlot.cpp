#include "plots/ScoreCurvePlot.h"

namespace ue::ui {

ScoreCurvePlot::ScoreCurvePlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("score-curve");
    addGraph();
    graph(0)->setPen(QPen(QColor(0x4c, 0x72, 0xb0), 1.6));
    graph(0)->setBrush(QColor(0x4c, 0x72, 0xb0, 40));
    xAxis->setLabel(tr("rank (most uncertain first)"));
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
}

int ScoreCurvePlot::pointCount() const {
    return graph(0)->dataCount();
}

void ScoreCurvePlot::setCurve(const std::vector<double>& sortedScores, const QString& scoreName,
                              int cutOff) {
    QVector<double> ranks(int(sortedScores.size()));
    QVector<double> values(int(sortedScores.size()));
    for (int i = 0; i < int(sortedScores.size()); ++i) {
        ranks[i] = i + 1;
        values[i] = sortedScores[i];
    }
    graph(0)->setData(ranks, values, true);
    yAxis->setLabel(scoreName);
    clearItems();
    if (cutOff > 0 && cutOff < int(sortedScores.size())) {
        auto* line = new QCPItemStraightLine(this);
        line->point1->setCoords(cutOff + 0.5, 0);
        line->point2->setCoords(cutOff + 0.5, 1);
        line->setPen(QPen(QColor(0xc0, 0x39, 0x2b), 1.2, Qt::DashLine));
        auto* label = new QCPItemText(this);
        label->position->setType(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(0.98, 0.05);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        label->setText(tr("top %1 shown").arg(cutOff));
        label->setColor(QColor(0xc0, 0x39, 0x2b));
    }
    rescaleAxes();
    xAxis->setRange(0, std::max<double>(1, sortedScores.size()) + 1);
    replot();
}

}  // namespace ue::ui
