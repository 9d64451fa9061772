#pragma once
#include <QTableWidget>
#include <vector>

#include "analysis/MethodComparison.h"

namespace ue::ui {

// The comparison table: one row per method, one column per number (what each means in the
// header's tooltip). Sorting by a column sorts numerically; the best value of each column where
// one direction is better (accuracy up, NLL down, ...) is bold on green.
class ComparisonTable : public QTableWidget {
    Q_OBJECT
  public:
    explicit ComparisonTable(QWidget* parent = nullptr);
    void setRows(const std::vector<ComparisonRow>& rows);
    // The row (in the given order) whose value is best in `column`, or -1 (for tests).
    int bestRow(int column) const;
    static int columnCount();

  private:
    std::vector<int> best_;
};

}  // namespace ue::ui
