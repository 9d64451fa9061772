#pragma once
#include <QSet>
#include <QWidget>
#include <array>

#include "metrics/RankBreakdown.h"

class QComboBox;
class QLabel;
class QTableWidget;

namespace ue::ui {

class GroupBoxPlot;
class ResultsModel;

// The true-class rank breakdown of the current run's labelled images: the share whose true
// class ranks 1st, 2nd, 3rd or lower, each group's mean scores in a table, and the chosen
// score's distribution per group. Clicking a group's row shows its images in the browser.
class RankBreakdownView : public QWidget {
    Q_OBJECT
  public:
    explicit RankBreakdownView(ResultsModel* results, QWidget* parent = nullptr);

    void refresh();
    // The scores to offer for the box plot: the model's scoresFor().
    void setScores(const std::vector<Score>& scores);
    // Hands the group's images (0: rank 1, 1: rank 2, 2: rank 3+) to the browser.
    void chooseGroup(int group);
    const RankBreakdown& breakdown() const { return breakdown_; }
    QTableWidget* table() const { return table_; }
    GroupBoxPlot* boxes() const { return boxes_; }
    QComboBox* scoreBox() const { return score_; }
    // The scores whose group means the table shows, after rank, images and share.
    const std::vector<Score>& tableScores() const { return tableScores_; }

  signals:
    void rowsChosen(const QSet<int>& sourceRows, const QString& why);

  private:
    void setTableScores(const std::vector<Score>& scores);
    ResultsModel* results_;
    std::vector<Score> tableScores_;
    RankBreakdown breakdown_;
    std::array<QSet<int>, RankBreakdown::kGroups> rows_;
    QLabel* summary_;
    QTableWidget* table_;
    QComboBox* score_;
    GroupBoxPlot* boxes_;
};

}  // namespace ue::ui
