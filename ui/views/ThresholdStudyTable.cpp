#include "views/ThresholdStudyTable.h"

#include <QHeaderView>
#include <algorithm>

#include "model/PathText.h"

namespace ue::ui {

QString percentText(double fraction) {
    return QString::number(100.0 * fraction, 'f', 1) + "%";
}

ThresholdStudyTable::ThresholdStudyTable(QWidget* parent) : QTableWidget(0, 7, parent) {
    setHorizontalHeaderLabels(
        {tr("class"), tr("thr."), tr("val"), tr("test"), tr("acc."), tr("cov."), tr("after")});
    const QStringList headerTips = {
        tr("True class"),
        tr("Threshold: the q-th percentile of the class's probability on the validation images "
           "correctly classified as it"),
        tr("Validation images correctly classified as the class (the percentile's support)"),
        tr("Labelled test images of the class (the current run)"),
        tr("Accuracy of the argmax without the rule"),
        tr("Coverage: share the rule still classifies"),
        tr("Accuracy on the images the rule classifies")};
    for (int column = 0; column < headerTips.size(); ++column) {
        horizontalHeaderItem(column)->setToolTip(headerTips[column]);
    }
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(20);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
}

void ThresholdStudyTable::showStudy(const ThresholdStudy& study, const QStringList& classes,
                                    const ClassThresholds& current) {
    const int rows = current.thresholds.empty() ? 0 : int(classes.size()) + 1;
    setRowCount(rows);
    // As tall as its rows (up to a limit), so the plot below gets the rest.
    setFixedHeight(
        std::min(360, horizontalHeader()->sizeHint().height() + 20 * std::max(rows, 3) + 4));
    for (int row = 0; row < rows; ++row) {
        const bool all = row == int(classes.size());
        const auto index = std::size_t(row);
        const ThresholdOutcome& o = all ? study.overall : study.perClass[index];
        const QStringList cells = {
            all ? tr("all") : shownName(classes[row]),
            all ? QString() : QString::number(current.thresholds[index], 'f', 4),
            all || index >= current.support.size() ? QString()
                                                   : QString::number(current.support[index]),
            QString::number(o.images),
            // A rate over no images is no rate: "–", not "0.0%" (a class without test images,
            // or a run with none labelled, looked like one the model gets all wrong).
            o.images ? percentText(o.accuracyBefore()) : QStringLiteral("–"),
            o.images ? percentText(o.coverage()) : QStringLiteral("–"),
            o.covered ? percentText(o.accuracyAfter()) : QStringLiteral("–")};
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            if (column > 0) {
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            }
            if (all) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            setItem(row, column, item);
        }
    }
}

}  // namespace ue::ui
