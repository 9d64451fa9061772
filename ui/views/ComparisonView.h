#pragma once
#include <QStringList>
#include <QTimer>
#include <QWidget>
#include <functional>

#include "Metatypes.h"
#include "model/ComparisonData.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace ue::ui {

class AdaptiveSplitter;
class ComparisonTable;
class GroupBoxPlot;
class MethodListEditor;
class MethodSpreadPlot;
class MethodHistogramsPlot;

// Methods side by side on the same images: the list of methods to run (MethodListEditor), an
// optional out-of-distribution folder, then the comparison table (ComparisonTable), each
// score's distribution per method (box plots), and the selected image's per-class spread
// under every method. Running is the window's job: requests come out as signals, results come
// in through begin/addResults/finishMethod/failMethod/finish.
class ComparisonView : public QWidget {
    Q_OBJECT
  public:
    explicit ComparisonView(QWidget* parent = nullptr);

    MethodListEditor* methods() const { return methods_; }
    ComparisonTable* table() const { return table_; }
    GroupBoxPlot* distribution() const { return distribution_; }
    AdaptiveSplitter* plots() const { return plots_; }
    MethodSpreadPlot* imagePlot() const { return imagePlot_; }
    MethodHistogramsPlot* imageHistograms() const { return imageHistograms_; }
    // 0: the selected image's spread as boxes, 1: as histograms.
    QComboBox* imageStyle() const { return imageStyle_; }
    const ComparisonData& data() const { return data_; }

    void setOodInputs(const QStringList& inputs);
    const QStringList& oodInputs() const { return oodInputs_; }
    // Where the OOD set comes from when none is chosen here (the OOD tab's folder).
    void setOodFallback(std::function<QStringList()> fallback) {
        oodFallback_ = std::move(fallback);
    }
    // Asks for a run of the listed methods (what the Run button does).
    void requestRun();

    void begin(const MethodList& methods);
    void setClasses(const QStringList& classes);
    void addResults(int method, bool outOfDistribution, const ResultBatch& batch);
    void finishMethod(int method, double seconds, bool cancelled);
    void failMethod(int method, const QString& error);
    void finish(bool cancelled);
    void setRunning(bool running);
    // The image the browser selected; drawn under every method that analysed it.
    void showImage(const QString& path, const QString& trueClass);
    // Redraws the table and the distributions from the results so far.
    void refresh();
    // The table as `uncertainty-cli compare -o` writes it; an empty string on success.
    QString writeCsv(const QString& path) const;

  protected:
    void showEvent(QShowEvent* event) override;

  signals:
    void runRequested(const ue::ui::MethodList& methods, const QStringList& oodInputs);
    void cancelRequested();
    void comparisonFinished();

  private:
    void drawDistribution();
    void drawImage();
    void scheduleRefresh();
    ComparisonData data_;
    QStringList oodInputs_;
    QStringList runOod_;  // the OOD set of the last run (this view's, or the OOD tab's)
    std::function<QStringList()> oodFallback_;
    QString imagePath_, imageClass_;
    bool imageDirty_ = false;  // the selection changed while the tab was hidden
    bool running_ = false;
    QTimer refreshTimer_;
    MethodListEditor* methods_;
    QLabel* ood_;
    QPushButton* chooseOod_;
    QPushButton* clearOod_;
    QPushButton* run_;
    QPushButton* cancel_;
    QPushButton* export_;
    QLabel* status_;
    ComparisonTable* table_;
    QComboBox* score_;
    QComboBox* set_;
    GroupBoxPlot* distribution_;
    AdaptiveSplitter* plots_;
    MethodSpreadPlot* imagePlot_;
    MethodHistogramsPlot* imageHistograms_;
    QComboBox* imageStyle_;
};

}  // namespace ue::ui
