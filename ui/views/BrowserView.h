#pragma once
#include <QWidget>

class QComboBox;
class QCheckBox;
class QLineEdit;
class QTableView;

namespace ue::ui {

class ResultsModel;
class ResultsFilterModel;

// Thumbnails and every score in a sortable table, with filters by true class, predicted
// class, "unclassified" and "misclassified". Keyboard navigation moves the selection, and the
// inspector follows it.
class BrowserView : public QWidget {
    Q_OBJECT
  public:
    BrowserView(ResultsModel* results, QWidget* parent = nullptr);

    QTableView* table() const { return table_; }
    ResultsFilterModel* filter() const { return filter_; }
    // Selects a row of the results model (clearing filters that would hide it).
    void selectSourceRow(int row);
    int currentSourceRow() const;
    void refreshClassFilters();
    void sortNow();

  signals:
    void currentImageChanged(int sourceRow);

  private:
    ResultsModel* results_;
    ResultsFilterModel* filter_;
    QTableView* table_;
    QComboBox* trueClass_;
    QComboBox* predictedClass_;
    QCheckBox* unclassified_;
    QCheckBox* misclassified_;
    QLineEdit* search_;
};

}  // namespace ue::ui
