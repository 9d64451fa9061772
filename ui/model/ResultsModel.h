#pragma once
#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>
#include <memory>
#include <optional>

#include "Metatypes.h"
#include "metrics/Scores.h"

namespace ue::ui {

class ThumbnailCache;

// One row per listed image; its result fills in when the worker delivers it. The columns are
// the CLI's: label, prediction under each rule, every score.
class ResultsModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        ImageColumn,
        LabelColumn,
        ArgmaxColumn,
        MedianRuleColumn,
        ThresholdRuleColumn,  // empty until per-class thresholds are set
        MaxProbabilityColumn,
        MarginColumn,
        PredictiveEntropyColumn,
        ExpectedEntropyColumn,
        MutualInformationColumn,
        VariationRatioColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, PathRole };

    explicit ResultsModel(ThumbnailCache* thumbnails, QObject* parent = nullptr);

    void setClasses(const QStringList& classes);
    const QStringList& classes() const { return classes_; }
    void setImages(SharedListing images);
    void addResults(const ResultBatch& results);
    void clear();
    // Per-class thresholds for the threshold rule (empty: none).
    void setThresholds(std::vector<float> thresholds);
    const std::vector<float>& thresholds() const { return thresholds_; }
    // What the images the browser calls "unclassified" are: the threshold rule's when
    // thresholds are set, else the median rule's.
    bool isUnclassified(const ImageSummary& summary) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const ImageEntry& entry(int row) const { return listing_->images[row]; }
    // The result of a row, or nullptr while it is pending.
    const ImageResult* result(int row) const;
    int rowOfPath(const QString& path) const { return listing_->rowOfPath.value(path, -1); }
    int analysedCount() const { return analysed_; }
    int failedCount() const { return failed_; }
    QStringList errors() const;
    QString className(int index) const;
    static std::optional<Score> scoreOfColumn(int column);

  private:
    QVariant displayValue(int row, int column) const;
    QVariant sortValue(int row, int column) const;

    ThumbnailCache* thumbnails_;
    QStringList classes_;
    QStringList shownClasses_;  // as the table shows them (shownName)
    SharedListing listing_;
    std::vector<std::unique_ptr<ImageResult>> results_;  // per row; null while pending
    std::vector<float> thresholds_;
    int analysed_ = 0;
    int failed_ = 0;
};

}  // namespace ue::ui
