#pragma once
#include <QSet>
#include <QWidget>
#include <vector>

class QComboBox;
class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
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
    // The selected rows of the results model; the current row when none is selected.
    std::vector<int> chosenSourceRows() const;
    void refreshClassFilters();
    void sortNow();
    // Shows only these rows, with a banner saying why and a button that shows all again.
    void showOnlyRows(const QSet<int>& rows, const QString& why);
    void showAllRows();

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
    QWidget* subsetBanner_;
    QLabel* subsetLabel_;
};

}  // namespace ue::ui
