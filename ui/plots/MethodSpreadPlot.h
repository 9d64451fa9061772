#pragma once
#include <QStringList>
#include <vector>

#include "metrics/ImageSummary.h"
#include "plots/ExportablePlot.h"

namespace ue::ui {

// One image under several methods: for each of its most probable classes, one box per method
// of that class's probability over the method's samples (box 25–75 %, whiskers 10–90 %, line
// median, ◇ mean), methods side by side in their own colours. A deterministic method, one
// sample, is a flat line at its probability.
class MethodSpreadPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit MethodSpreadPlot(QWidget* parent = nullptr);

    struct Entry {
        QString method;
        const ImageSummary* summary = nullptr;  // nullptr: the method has not analysed it
    };
    // `title` names the image; classes are ranked by their largest mean over the methods.
    void showImage(const QString& title, const std::vector<Entry>& entries,
                   const QStringList& classes);
    void showMessage(const QString& message);
    void setMaxClasses(int classes) { maxClasses_ = classes; }

    // What is drawn, for tests: the classes shown and the boxes (one per method with data).
    const std::vector<int>& shownClasses() const { return shownClasses_; }
    int boxCount() const;
    QString title() const { return title_->text(); }

    void resetZoom() override;

    static QColor methodColor(int index);
    // The `count` classes with the largest mean under any method, most probable first; empty
    // when no method has analysed the image.
    static std::vector<int> topClasses(const std::vector<Entry>& entries, int count);

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    void clearAll();
    QCPTextElement* title_;
    std::vector<int> shownClasses_;
    int maxClasses_ = 5;
};

}  // namespace ue::ui
