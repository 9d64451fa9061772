#pragma once
#include <QStringList>
#include <QTableWidget>

#include "metrics/ThresholdStudy.h"
#include "metrics/Thresholds.h"

namespace ue::ui {

// A fraction as the threshold study shows it: "93.3%".
QString percentText(double fraction);

// The threshold study per true class and overall: each class's threshold and its validation
// support, then the test set's accuracy before the rule, coverage, and accuracy after it.
class ThresholdStudyTable : public QTableWidget {
    Q_OBJECT
  public:
    explicit ThresholdStudyTable(QWidget* parent = nullptr);

    // No rows while `current` has no thresholds.
    void showStudy(const ThresholdStudy& study, const QStringList& classes,
                   const ClassThresholds& current);
};

}  // namespace ue::ui
