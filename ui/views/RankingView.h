#pragma once
#include <QHash>
#include <QWidget>

#include "metrics/Scores.h"

class QComboBox;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QSpinBox;

namespace ue::ui {

class ResultsModel;
class ScoreCurvePlot;
class ThumbnailCache;

// The top-K most uncertain images by a chosen score, as a thumbnail grid (score and prediction
// under each; a click opens the image in the inspector), above the score over the whole set.
class RankingView : public QWidget {
    Q_OBJECT
  public:
    RankingView(ResultsModel* results, ThumbnailCache* thumbnails, QWidget* parent = nullptr);

    void refresh();
    // The scores to offer: the model's scoresFor().
    void setScores(const std::vector<Score>& scores);
    Score score() const;
    void setScore(Score score);
    QComboBox* scoreBox() const { return score_; }
    // Source rows shown in the grid, most uncertain first.
    const std::vector<int>& shownRows() const { return shownRows_; }
    ScoreCurvePlot* curve() const { return curve_; }
    QListWidget* grid() const { return grid_; }
    // The caption of the grid's `index`th tile as it is drawn at the tile's present size: the
    // score, then the predicted class, its name cut to the room left beside the "✗" that marks
    // a wrong prediction (the mark is never cut).
    QString tileCaption(int index) const;
    // The grid's images as CSV (core's writeRankingCsv); empty on success, else the error.
    QString writeRankingCsv(const QString& path) const;

  signals:
    void imageActivated(int sourceRow);

  private:
    void rebuildGrid(const std::vector<int>& rows, Score chosen);
    ResultsModel* results_;
    ThumbnailCache* thumbnails_;
    QComboBox* score_;
    QSpinBox* topK_;
    QPushButton* export_;
    QListWidget* grid_;
    ScoreCurvePlot* curve_;
    std::vector<int> shownRows_;
    Score shownScore_ = Score::PredictiveEntropy;
    QHash<QString, QListWidgetItem*> itemOfPath_;
};

}  // namespace ue::ui
