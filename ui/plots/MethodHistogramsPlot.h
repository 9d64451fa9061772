#pragma once
#include <QStringList>
#include <vector>

#include "plots/MethodSpreadPlot.h"

namespace ue::ui {

// One image under several methods, as histograms: one panel per class, stacked (its most probable
// few, ranked by the largest mean over the methods), x the class's probability on [0,1], y the
// share of the method's samples in each bin, one step line per method in the colours of
// MethodSpreadPlot. The same histograms the inspector draws for one method, overlaid.
class MethodHistogramsPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit MethodHistogramsPlot(QWidget* parent = nullptr);

    using Entry = MethodSpreadPlot::Entry;
    void showImage(const QString& title, const std::vector<Entry>& entries,
                   const QStringList& classes);
    void showMessage(const QString& message);
    void setMaxClasses(int classes) { maxClasses_ = classes; }

    // What is drawn, for tests: the classes shown, and one method's shares in one panel.
    const std::vector<int>& shownClasses() const { return shownClasses_; }
    QVector<double> shares(int panel, int method) const;
    QString title() const { return title_->text(); }

    void resetZoom() override;

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    void clearAll();
    QCPTextElement* title_;
    std::vector<int> shownClasses_;
    std::vector<QCPAxisRect*> rects_;
    std::vector<std::vector<QCPGraph*>> graphs_;  // [panel][method]
    int maxClasses_ = 5;
};

}  // namespace ue::ui
