#include "views/RankBreakdownView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "PlainText.h"
#include "model/ResultsModel.h"
#include "plots/GroupBoxPlot.h"
#include "views/ScoreBox.h"

namespace ue::ui {
namespace {
const QStringList kGroupNames = {"1", "2", "3+"};
// The entropy split, whose parts should all rise down the table; a heteroscedastic model adds
// its own aleatoric estimate beside them.
const std::vector<Score> kTableScores = {Score::PredictiveEntropy, Score::MutualInformation,
                                         Score::ExpectedEntropy};

QString columnName(Score score) {
    switch (score) {
        case Score::PredictiveEntropy:
            return RankBreakdownView::tr("entropy");
        case Score::MutualInformation:
            return RankBreakdownView::tr("MI");
        case Score::ExpectedEntropy:
            return RankBreakdownView::tr("exp. ent.");
        case Score::LogitVariance:
            return RankBreakdownView::tr("logit var.");
        default:
            return QString::fromStdString(scoreName(score));
    }
}
}  // namespace

RankBreakdownView::RankBreakdownView(ResultsModel* results, QWidget* parent)
    : QWidget(parent), results_(results) {
    setObjectName("rankBreakdownView");
    summary_ = plainLabel();
    summary_->setWordWrap(true);
    table_ = new QTableWidget;
    setTableScores(kTableScores);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(20);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setToolTip(tr("Means per group; click a group to show its images in the browser"));
    table_->setFixedHeight(table_->horizontalHeader()->sizeHint().height() + 3 * 20 + 4);
    score_ = new QComboBox;
    fillScoreBox(score_, allScores(), Score::PredictiveEntropy);
    auto* scoreRow = new QHBoxLayout;
    scoreRow->addWidget(new QLabel(tr("Distribution of")));
    scoreRow->addWidget(score_, 1);
    boxes_ = new GroupBoxPlot;
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(summary_);
    layout->addWidget(table_);
    layout->addLayout(scoreRow);
    layout->addWidget(boxes_, 1);
    connect(score_, &QComboBox::currentIndexChanged, this, &RankBreakdownView::refresh);
    connect(table_, &QTableWidget::cellClicked, this, [this](int row) { chooseGroup(row); });
    refresh();
}

void RankBreakdownView::refresh() {
    breakdown_ = RankBreakdown();
    for (auto& rows : rows_) {
        rows.clear();
    }
    for (int row = 0; row < results_->rowCount(); ++row) {
        const ImageResult* r = results_->result(row);
        if (r && r->ok && r->label != kNoLabel) {
            breakdown_.add(r->summary, r->label);
            rows_[std::size_t(RankBreakdown::groupOf(trueClassRank(r->summary.mean, r->label)))]
                .insert(row);
        }
    }
    if (breakdown_.labelled() == 0) {
        summary_->setText(tr("The rank breakdown needs labelled images (class-named folders)."));
        table_->setRowCount(0);
        // Before a run, or a run of images without labels: say which.
        boxes_->showMessage(
            results_->analysedCount() > 0
                ? tr("No labelled images: the true class's rank needs class-named folders.")
                : tr("Run the analysis to see how uncertain the images are by their true "
                     "class's rank."));
        return;
    }
    summary_->setText(tr("Where the true class ranks among the %1 labelled images' mean "
                         "probabilities; uncertainty should rise down the table.")
                          .arg(breakdown_.labelled()));
    table_->setRowCount(RankBreakdown::kGroups);
    for (int group = 0; group < RankBreakdown::kGroups; ++group) {
        QStringList cells = {kGroupNames[group], QString::number(breakdown_.count(group)),
                             QString::number(100 * breakdown_.share(group), 'f', 1) + "%"};
        for (Score score : tableScores_) {
            cells << (breakdown_.count(group)
                          ? QString::number(breakdown_.mean(group, score), 'f', 4)
                          : QStringLiteral("–"));
        }
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(group, column, item);
        }
    }
    const Score chosen = Score(score_->currentData().toInt());
    std::vector<GroupBoxPlot::Box> boxes;
    for (int group = 0; group < RankBreakdown::kGroups; ++group) {
        GroupBoxPlot::Box box;
        box.name = tr("rank %1").arg(kGroupNames[group]);
        box.count = breakdown_.count(group);
        box.q10 = breakdown_.quantile(group, chosen, 0.10);
        box.q25 = breakdown_.quantile(group, chosen, 0.25);
        box.median = breakdown_.quantile(group, chosen, 0.50);
        box.q75 = breakdown_.quantile(group, chosen, 0.75);
        box.q90 = breakdown_.quantile(group, chosen, 0.90);
        box.mean = breakdown_.mean(group, chosen);
        boxes.push_back(box);
    }
    boxes_->setBoxes(boxes, QString::fromStdString(scoreName(chosen)));
}

void RankBreakdownView::setScores(const std::vector<Score>& scores) {
    fillScoreBox(score_, scores, Score::PredictiveEntropy);
    std::vector<Score> columns = kTableScores;
    if (std::find(scores.begin(), scores.end(), Score::LogitVariance) != scores.end()) {
        columns.push_back(Score::LogitVariance);
    }
    setTableScores(columns);
    refresh();
}

void RankBreakdownView::setTableScores(const std::vector<Score>& scores) {
    tableScores_ = scores;
    QStringList headers = {tr("rank"), tr("images"), tr("share")};
    for (Score score : scores) {
        headers << columnName(score);
    }
    table_->setColumnCount(int(headers.size()));
    table_->setHorizontalHeaderLabels(headers);
}

void RankBreakdownView::chooseGroup(int group) {
    if (group < 0 || group >= RankBreakdown::kGroups) {
        return;
    }
    emit rowsChosen(rows_[std::size_t(group)], tr("%1 images whose true class ranks %2")
                                                   .arg(rows_[std::size_t(group)].size())
                                                   .arg(group == 2   ? tr("3rd or lower")
                                                        : group == 0 ? tr("1st")
                                                                     : tr("2nd")));
}

}  // namespace ue::ui
