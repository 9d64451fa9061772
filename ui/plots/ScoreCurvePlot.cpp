#include "plots/ScoreCurvePlot.h"

#include <QFontMetrics>
#include <algorithm>

#include "plots/PlotPalette.h"

namespace ue::ui {

ScoreCurvePlot::ScoreCurvePlot(QWidget* parent) : ExportablePlot(parent) {
    setExportName("score-curve");
    addGraph();
    graph(0)->setPen(QPen(kMeasuredColour, 1.6));
    graph(0)->setBrush(withAlpha(kMeasuredColour, 40));
    xAxis->setLabel(tr("rank (most uncertain first)"));
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    connect(this, &QCustomPlot::afterLayout, this, &ScoreCurvePlot::fitScoreLabel);
    showPlaceholder(tr("Run the analysis to see every image's score, most uncertain first."));
}

int ScoreCurvePlot::pointCount() const {
    return graph(0)->dataCount();
}

void ScoreCurvePlot::setCurve(const std::vector<double>& sortedScores, const QString& scoreName,
                              int cutOff) {
    if (sortedScores.empty()) {
        graph(0)->data()->clear();
        totalPoints_ = 0;
        showPlaceholder(tr("Run the analysis to see every image's score, most uncertain first."));
        return;
    }
    // Before clearItems: it restores the marks that the items below replace.
    clearPlaceholder();
    // A curve cannot show more points than it has pixels: thin 100k ranks to a few thousand
    // (always keeping the first and last) so redraws stay cheap during long runs.
    constexpr std::size_t kMaxPoints = 4000;
    const std::size_t n = sortedScores.size();
    const std::size_t step = std::max<std::size_t>(1, n / kMaxPoints);
    QVector<double> ranks;
    QVector<double> values;
    for (std::size_t i = 0; i < n; i += step) {
        ranks << double(i + 1);
        values << sortedScores[i];
    }
    if (n > 0 && (n - 1) % step != 0) {
        ranks << double(n);
        values << sortedScores[n - 1];
    }
    totalPoints_ = int(n);
    graph(0)->setData(ranks, values, true);
    scoreName_ = scoreName;
    setToolTip(scoreName);
    clearItems();
    if (cutOff > 0 && cutOff < int(sortedScores.size())) {
        auto* line = new QCPItemStraightLine(this);
        line->point1->setCoords(cutOff + 0.5, 0);
        line->point2->setCoords(cutOff + 0.5, 1);
        line->setPen(QPen(kThresholdColour, 1.2, Qt::DashLine));
        auto* label = new QCPItemText(this);
        label->position->setType(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(0.98, 0.05);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        label->setText(tr("top %1 shown").arg(cutOff));
        label->setColor(kThresholdColour);
    }
    rescaleAxes();
    xAxis->setRange(0, std::max<double>(1, sortedScores.size()) + 1);
    replot();
}

// Under the ranking's thumbnails the plot is short, and a long score name ("predictive entropy
// (total)") ran off its top. The name is elided to the axis's height once the layout has set it
// (an elided label is as tall as a whole one, so the layout stands); the tooltip has it whole.
void ScoreCurvePlot::fitScoreLabel() {
    const int room = std::max(40, axisRect()->height());
    yAxis->setLabel(QFontMetrics(yAxis->labelFont()).elidedText(scoreName_, Qt::ElideRight, room));
}

}  // namespace ue::ui
