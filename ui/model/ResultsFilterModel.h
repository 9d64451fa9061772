#pragma once
#include <QSet>
#include <QSortFilterProxyModel>

namespace ue::ui {

class ResultsModel;

// Browser filters over ResultsModel: true class, predicted class (argmax), only images the
// median rule leaves unclassified, only misclassified ones, a file-name search, and a set of
// rows chosen elsewhere (a linked plot).
class ResultsFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    static constexpr int kAnyClass = -2;

    explicit ResultsFilterModel(QObject* parent = nullptr);

    void setTrueClass(int cls);
    void setPredictedClass(int cls);
    void setOnlyUnclassified(bool only);
    void setOnlyMisclassified(bool only);
    void setNameFilter(const QString& text);
    // Only these source rows (e.g. the images a coverage level rejects); cleared by
    // clearRowSubset().
    void setRowSubset(const QSet<int>& rows);
    void clearRowSubset();
    bool hasRowSubset() const { return hasSubset_; }

  protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

  private:
    const ResultsModel* results() const;
    int trueClass_ = kAnyClass;
    int predictedClass_ = kAnyClass;
    bool onlyUnclassified_ = false;
    bool onlyMisclassified_ = false;
    QString nameFilter_;
    bool hasSubset_ = false;
    QSet<int> subset_;
};

}  // namespace ue::ui
