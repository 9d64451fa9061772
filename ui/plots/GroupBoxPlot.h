#pragma once
#include <QStringList>
#include <vector>

#include "plots/ExportablePlot.h"

namespace ue::ui {

// One box per group of images: 10–90 % whiskers, 25–75 % box, median line, mean marker.
class GroupBoxPlot : public ExportablePlot {
    Q_OBJECT
  public:
    explicit GroupBoxPlot(QWidget* parent = nullptr);
    struct Box {
        QString name;
        std::size_t count = 0;
        double q10 = 0, q25 = 0, median = 0, q75 = 0, q90 = 0, mean = 0;
    };
    // `title` replaces the default title (the true-rank breakdown's).
    void setBoxes(const std::vector<Box>& boxes, const QString& valueName,
                  const QString& title = QString());
    void showMessage(const QString& message);
    int boxCount() const;

    void resetZoom() override;

  private:
    QCPTextElement* title_;
    QCPStatisticalBox* boxes_;
    QCPGraph* means_;
    double low_ = 0, high_ = 1;
    int count_ = 0;
};

}  // namespace ue::ui
