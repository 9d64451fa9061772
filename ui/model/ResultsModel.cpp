#include "model/ResultsModel.h"

#include <QApplication>
#include <QGuiApplication>
#include <QPalette>
#include <QStyle>

#include "PlainText.h"
#include "metrics/Thresholds.h"
#include "model/PathText.h"
#include "model/ThumbnailCache.h"
#include "plots/PlotPalette.h"

namespace ue::ui {

ResultsModel::ResultsModel(ThumbnailCache* thumbnails, QObject* parent)
    : QAbstractTableModel(parent), thumbnails_(thumbnails), listing_(ImageListing::make({})) {
    connect(thumbnails_, &ThumbnailCache::thumbnailReady, this, [this](const QString& path) {
        const int row = rowOfPath(path);
        if (row >= 0) {
            emit dataChanged(index(row, ImageColumn), index(row, ImageColumn),
                             {Qt::DecorationRole});
        }
    });
}

void ResultsModel::setClasses(const QStringList& classes) {
    beginResetModel();
    classes_ = classes;
    // Escaped once: a sort by a class column asks for a name at every comparison.
    shownClasses_ = shownNames(classes);
    endResetModel();
}

void ResultsModel::setImages(SharedListing images) {
    beginResetModel();
    listing_ = images ? std::move(images) : ImageListing::make({});
    results_.clear();
    results_.resize(listing_->images.size());
    analysed_ = failed_ = 0;
    endResetModel();
}

void ResultsModel::clear() {
    setImages({});
}

void ResultsModel::addResults(const ResultBatch& results) {
    int first = rowCount();
    int last = -1;
    for (const auto& result : results) {
        const int row = static_cast<int>(result.index);
        if (row < 0 || row >= rowCount()) {
            continue;
        }
        results_[row] = std::make_unique<ImageResult>(result);
        (result.ok ? analysed_ : failed_)++;
        first = std::min(first, row);
        last = std::max(last, row);
    }
    if (last >= first) {
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    }
}

int ResultsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(results_.size());
}

int ResultsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const ImageResult* ResultsModel::result(int row) const {
    return row >= 0 && row < rowCount() ? results_[row].get() : nullptr;
}

QString ResultsModel::className(int index) const {
    if (index == kUnclassified) {
        return tr("unclassified");
    }
    return index >= 0 && index < shownClasses_.size() ? shownClasses_[index] : QString();
}

QStringList ResultsModel::errors() const {
    QStringList list;
    for (const auto& result : results_) {
        if (result && !result->ok) {
            list << shownMessage(result->error);
        }
    }
    return list;
}

void ResultsModel::setThresholds(std::vector<float> thresholds) {
    thresholds_ = std::move(thresholds);
    if (rowCount() > 0) {
        emit dataChanged(index(0, ThresholdRuleColumn), index(rowCount() - 1, ThresholdRuleColumn));
    }
}

bool ResultsModel::isUnclassified(const ImageSummary& summary) const {
    return (thresholds_.empty() ? summary.medianRulePrediction
                                : thresholdRule(summary, thresholds_)) == kUnclassified;
}

std::optional<Score> ResultsModel::scoreOfColumn(int column) {
    switch (column) {
        case MaxProbabilityColumn:
            return Score::MaxProbability;
        case MarginColumn:
            return Score::Margin;
        case PredictiveEntropyColumn:
            return Score::PredictiveEntropy;
        case ExpectedEntropyColumn:
            return Score::ExpectedEntropy;
        case MutualInformationColumn:
            return Score::MutualInformation;
        case VariationRatioColumn:
            return Score::VariationRatio;
        default:
            return std::nullopt;
    }
}

QVariant ResultsModel::displayValue(int row, int column) const {
    const ImageResult* r = results_[row].get();
    const ImageEntry& entry = listing_->images[row];
    const QString& path = listing_->paths[row];
    switch (column) {
        case ImageColumn:
            return shownPath(path.mid(path.lastIndexOf(QLatin1Char('/')) + 1));
        case LabelColumn:
            return entry.label == kNoLabel ? QString() : className(entry.label);
        case StatusColumn:
            return !r ? tr("pending") : (r->ok ? tr("ok") : tr("error"));
        default:
            break;
    }
    if (!r || !r->ok) {
        return {};
    }
    if (column == ArgmaxColumn) {
        return className(r->summary.argmaxPrediction);
    }
    if (column == MedianRuleColumn) {
        return className(r->summary.medianRulePrediction);
    }
    if (column == ThresholdRuleColumn) {
        return thresholds_.empty() ? QVariant()
                                   : QVariant(className(thresholdRule(r->summary, thresholds_)));
    }
    if (const auto score = scoreOfColumn(column)) {
        return QString::number(scoreValue(r->summary, *score), 'f', 4);
    }
    return {};
}

QVariant ResultsModel::sortValue(int row, int column) const {
    if (const auto score = scoreOfColumn(column)) {
        // Pending and failed rows sort after every analysed one in ascending order.
        const ImageResult* r = results_[row].get();
        return r && r->ok ? scoreValue(r->summary, *score)
                          : std::numeric_limits<double>::infinity();
    }
    return displayValue(row, column);
}

QVariant ResultsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const int row = index.row();
    const QString& path = listing_->paths[row];
    const ImageResult* r = results_[row].get();
    switch (role) {
        case Qt::DisplayRole:
            return displayValue(row, index.column());
        case SortRole:
            return sortValue(row, index.column());
        case PathRole:
            return path;
        case Qt::DecorationRole:
            if (index.column() != ImageColumn || !thumbnails_) {
                return {};
            }
            // A failed row says so where the eye is, not only in the status column at the far
            // right. An icon, unlike a pixmap, is drawn at the view's icon size: a 64 px
            // thumbnail in a 36 px row showed only its middle band.
            if (r && !r->ok) {
                return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
            }
            return QIcon(thumbnails_->thumbnail(path));
        case Qt::ToolTipRole:
            if (r && !r->ok) {
                return plainToolTip(shownMessage(r->error));
            }
            return index.column() == ImageColumn ? plainToolTip(shownPath(path)) : QVariant();
        case Qt::ForegroundRole: {
            const int label = listing_->images[row].label;
            if (r && r->ok && label != kNoLabel && index.column() == ArgmaxColumn &&
                r->summary.argmaxPrediction != label) {
                return kWarningColour;  // misclassified
            }
            if (r && !r->ok && (index.column() == StatusColumn || index.column() == ImageColumn)) {
                return kWarningColour;
            }
            return {};
        }
        case Qt::TextAlignmentRole:
            if (scoreOfColumn(index.column())) {
                return int(Qt::AlignRight | Qt::AlignVCenter);
            }
            return {};
        default:
            return {};
    }
}

QVariant ResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
        case ImageColumn:
            return tr("Image");
        case LabelColumn:
            return tr("Label");
        case ArgmaxColumn:
            return tr("Argmax");
        case MedianRuleColumn:
            return tr("Median rule");
        case ThresholdRuleColumn:
            return tr("Threshold rule");
        case MaxProbabilityColumn:
            return tr("Max prob");
        case MarginColumn:
            return tr("Margin");
        case PredictiveEntropyColumn:
            return tr("Entropy");
        case ExpectedEntropyColumn:
            return tr("Exp. entropy");
        case MutualInformationColumn:
            return tr("Mutual info");
        case VariationRatioColumn:
            return tr("Var. ratio");
        case StatusColumn:
            return tr("Status");
        default:
            return {};
    }
}

}  // namespace ue::ui
