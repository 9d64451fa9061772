#pragma once
#include <QStringList>
#include <QWidget>

#include "Metatypes.h"
#include "metrics/OodMetrics.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace ue::ui {

class ResultsModel;
class RocPlot;
class ScoreHistogramsPlot;

// Out-of-distribution detection: the current run's images are the in-distribution set; the user
// picks a folder of out-of-distribution images, which runs with the toolbar's options. Then, for
// every score, AUROC, AUPR and the FPR at 95 % TPR in a table (best first), the ROC curves, and
// the chosen score's distribution in both sets overlaid.
class OodView : public QWidget {
    Q_OBJECT
  public:
    explicit OodView(ResultsModel* results, QWidget* parent = nullptr);

    void setOutInputs(const QStringList& inputs);
    const QStringList& outInputs() const { return outInputs_; }
    // The OOD set's run: started, results streamed in, finished.
    void begin();
    // Forgets the OOD results (they belong to the model that scored them).
    void clearOutResults();
    void addOutResults(const ResultBatch& batch);
    void finish(const RunReport& report);
    void setRunning(bool running);
    // Recomputes from the in-distribution results and the OOD results so far.
    void refresh();
    // The scores to offer and detect with: the model's scoresFor().
    void setScores(const std::vector<Score>& scores);

    const std::vector<OodDetection>& detections() const { return detections_; }
    const std::vector<ImageSummary>& outSummaries() const { return outSummaries_; }
    QTableWidget* table() const { return table_; }
    RocPlot* roc() const { return roc_; }
    ScoreHistogramsPlot* histograms() const { return histograms_; }
    // The score the histograms and the bold ROC curve show.
    Score chosenScore() const;
    QComboBox* scoreBox() const { return score_; }
    // Writes the table as `uncertainty-cli ood --report` does; an empty string on success.
    QString writeReportCsv(const QString& path) const;

  signals:
    void runRequested(const QStringList& outInputs);

  private:
    void chooseFolder();
    void chooseScore(Score score);

    ResultsModel* results_;
    // Until the user picks a score, each finished OOD run shows its best one.
    bool userChoseScore_ = false;
    QStringList outInputs_;
    std::vector<ImageSummary> outSummaries_;
    OodAccumulator accumulator_;
    std::vector<Score> scores_ = allScores();
    std::vector<OodDetection> detections_;
    QLabel* source_;
    QPushButton* choose_;
    QPushButton* run_;
    QPushButton* export_;
    QLabel* status_;
    QComboBox* score_;
    QTableWidget* table_;
    RocPlot* roc_;
    ScoreHistogramsPlot* histograms_;
};

}  // namespace ue::ui
