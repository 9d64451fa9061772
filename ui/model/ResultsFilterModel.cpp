#include "model/ResultsFilterModel.h"

#include "model/PathText.h"
#include "model/ResultsModel.h"

namespace ue::ui {

ResultsFilterModel::ResultsFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(ResultsModel::SortRole);
    setDynamicSortFilter(false);  // re-sorting on every streamed result would shuffle the view
}

const ResultsModel* ResultsFilterModel::results() const {
    return qobject_cast<const ResultsModel*>(sourceModel());
}

void ResultsFilterModel::setTrueClass(int cls) {
    trueClass_ = cls;
    invalidateFilter();
}

void ResultsFilterModel::setPredictedClass(int cls) {
    predictedClass_ = cls;
    invalidateFilter();
}

void ResultsFilterModel::setOnlyUnclassified(bool only) {
    onlyUnclassified_ = only;
    invalidateFilter();
}

void ResultsFilterModel::setOnlyMisclassified(bool only) {
    onlyMisclassified_ = only;
    invalidateFilter();
}

void ResultsFilterModel::setNameFilter(const QString& text) {
    nameFilter_ = text;
    invalidateFilter();
}

void ResultsFilterModel::setRowSubset(const QSet<int>& rows) {
    hasSubset_ = true;
    subset_ = rows;
    invalidateFilter();
}

void ResultsFilterModel::clearRowSubset() {
    hasSubset_ = false;
    subset_.clear();
    invalidateFilter();
}

bool ResultsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
    const ResultsModel* model = results();
    if (!model) {
        return true;
    }
    if (hasSubset_ && !subset_.contains(sourceRow)) {
        return false;
    }
    const ImageEntry& entry = model->entry(sourceRow);
    if (trueClass_ != kAnyClass && entry.label != trueClass_) {
        return false;
    }
    if (!nameFilter_.isEmpty() &&
        !pathText(entry.path).contains(nameFilter_, Qt::CaseInsensitive)) {
        return false;
    }
    const bool needsResult =
        predictedClass_ != kAnyClass || onlyUnclassified_ || onlyMisclassified_;
    if (!needsResult) {
        return true;
    }
    const ImageResult* result = model->result(sourceRow);
    if (!result || !result->ok) {
        return false;
    }
    const ImageSummary& s = result->summary;
    if (predictedClass_ != kAnyClass && s.argmaxPrediction != predictedClass_) {
        return false;
    }
    if (onlyUnclassified_ && !model->isUnclassified(s)) {
        return false;
    }
    if (onlyMisclassified_ && (entry.label == kNoLabel || s.argmaxPrediction == entry.label)) {
        return false;
    }
    return true;
}

}  // namespace ue::ui
