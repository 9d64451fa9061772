#pragma once
#include <QSortFilterProxyModel>

namespace ue::ui {

class ResultsModel;

// Browser filters over ResultsModel: true class, predicted class (argmax), only images the
// median rule leaves unclassified, only misclassified ones, and a file-name search.
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

  protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

  private:
    const ResultsModel* results() const;
    int trueClass_ = kAnyClass;
    int predictedClass_ = kAnyClass;
    bool onlyUnclassified_ = false;
    bool onlyMisclassified_ = false;
    QString nameFilter_;
};

}  // namespace ue::ui
