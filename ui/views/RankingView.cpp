#include "views/RankingView.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "PlainText.h"
#include "StdStrings.h"
#include "WriteAtomically.h"
#include "io/RankingCsv.h"
#include "model/PathText.h"
#include "model/ResultsModel.h"
#include "model/ThumbnailCache.h"
#include "plots/ScoreCurvePlot.h"
#include "views/ScoreBox.h"

namespace ue::ui {

namespace {

enum TileRole { RowRole = Qt::UserRole, ScoreTextRole, ClassNameRole, WrongRole };

// A tile's caption, fitted to the tile: Qt elides the end of a line that does not fit, and the
// end of the second line was the "✗", so a wrong prediction with a long class name ("T-shirt/
// top") looked right. Only the name is cut; the score and the mark always show.
class TileDelegate : public QStyledItemDelegate {
  public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // The caption drawn for `index` in a tile laid out by `option` (as the view gives it).
    QString shownCaption(const QStyleOptionViewItem& option, const QModelIndex& index) const {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        return fitted(opt, index);
    }

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        // Its lines fit, so nothing wraps them or cuts them further.
        opt.text = fitted(opt, index).replace('\n', QChar::LineSeparator);
        opt.features &= ~QStyleOptionViewItem::WrapText;
        const QWidget* widget = opt.widget;
        QStyle* style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    }

    // The width a caption's line may take in `option`'s tile: the tile's width (the text sits
    // under the icon) less the margins the style keeps on either side of item text.
    static int lineWidth(const QStyleOptionViewItem& option) {
        const QWidget* widget = option.widget;
        const QStyle* style = widget ? widget->style() : QApplication::style();
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        return option.rect.width() - 2 * margin;
    }

  private:
    static QString fitted(const QStyleOptionViewItem& option, const QModelIndex& index) {
        const QString mark = index.data(WrongRole).toBool() ? QStringLiteral(" ✗") : QString();
        const QFontMetrics metrics(option.font);
        const int room = std::max(0, lineWidth(option) - metrics.horizontalAdvance(mark));
        return index.data(ScoreTextRole).toString() + "\n" +
               metrics.elidedText(index.data(ClassNameRole).toString(), Qt::ElideRight, room) +
               mark;
    }
};

// The grid, with the option its tiles are drawn with open to tileCaption().
class TileGrid : public QListWidget {
  public:
    QStyleOptionViewItem tileOption(QListWidgetItem* item) const {
        QStyleOptionViewItem option;
        initViewItemOption(&option);
        option.rect = visualItemRect(item);
        return option;
    }
};

}  // namespace

RankingView::RankingView(ResultsModel* results, ThumbnailCache* thumbnails, QWidget* parent)
    : QWidget(parent), results_(results), thumbnails_(thumbnails) {
    score_ = new QComboBox;
    fillScoreBox(score_, allScores(), Score::PredictiveEntropy, ScoreText::Label);
    // The dock is narrow: the picker gives way (its longest label is cut) before the row
    // pushes the dock into scrolling sideways.
    score_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    score_->setMinimumContentsLength(12);
    topK_ = new QSpinBox;
    topK_->setRange(1, 1000);
    topK_->setValue(24);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Most uncertain by")));
    controls->addWidget(score_, 1);
    controls->addWidget(new QLabel(tr("top")));
    controls->addWidget(topK_);
    export_ = new QPushButton(tr("CSV…"));
    export_->setToolTip(
        tr("Export these images as CSV: rank, path, label, prediction, the score and its value "
           "(as uncertainty-cli analyze --ranking-out)"));
    export_->setEnabled(false);
    controls->addWidget(export_);

    grid_ = new TileGrid;
    grid_->setItemDelegate(new TileDelegate(grid_));
    grid_->setViewMode(QListView::IconMode);
    grid_->setIconSize(QSize(64, 64));
    grid_->setGridSize(QSize(96, 104));
    grid_->setSpacing(2);
    grid_->setResizeMode(QListView::Adjust);
    grid_->setMovement(QListView::Static);
    grid_->setWordWrap(true);
    grid_->setUniformItemSizes(true);

    curve_ = new ScoreCurvePlot;
    curve_->setMinimumHeight(150);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(grid_);
    splitter->addWidget(curve_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);

    connect(score_, &QComboBox::currentIndexChanged, this, &RankingView::refresh);
    connect(topK_, &QSpinBox::valueChanged, this, &RankingView::refresh);
    // A new listing: the shown rows are another run's, and an export would write them.
    connect(results_, &QAbstractItemModel::modelReset, this, &RankingView::refresh);
    connect(export_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export the most uncertain images"), "most-uncertain.csv", tr("CSV (*.csv)"));
        if (!path.isEmpty()) {
            if (const QString error = writeRankingCsv(path); !error.isEmpty()) {
                warnPlainly(this, tr("Export failed"), error);
            }
        }
    });
    connect(grid_, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { emit imageActivated(item->data(RowRole).toInt()); });
    connect(grid_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit imageActivated(item->data(RowRole).toInt()); });
    connect(thumbnails_, &ThumbnailCache::thumbnailReady, this, [this](const QString& path) {
        if (QListWidgetItem* item = itemOfPath_.value(path)) {
            item->setIcon(thumbnails_->thumbnail(path));
        }
    });
}

void RankingView::setScores(const std::vector<Score>& scores) {
    fillScoreBox(score_, scores, Score::PredictiveEntropy, ScoreText::Label);
    refresh();
}

Score RankingView::score() const {
    return Score(score_->currentData().toInt());
}

void RankingView::setScore(Score score) {
    score_->setCurrentIndex(score_->findData(int(score)));
}

void RankingView::refresh() {
    const Score chosen = score();
    std::vector<std::pair<double, int>> ranked;  // (uncertainty, row)
    ranked.reserve(std::size_t(results_->rowCount()));
    for (int row = 0; row < results_->rowCount(); ++row) {
        if (const ImageResult* r = results_->result(row); r && r->ok) {
            ranked.emplace_back(rankingKey(scoreValue(r->summary, chosen), chosen), row);
        }
    }
    // Most uncertain first; ties in input order so the grid does not flicker. Only the top K
    // need ordering for the grid; the curve needs every value, but not which row it came from.
    const int k = std::min<int>(topK_->value(), int(ranked.size()));
    std::partial_sort(ranked.begin(), ranked.begin() + k, ranked.end(),
                      [](const auto& a, const auto& b) {
                          return a.first > b.first || (a.first == b.first && a.second < b.second);
                      });
    std::vector<int> top;
    for (int i = 0; i < k; ++i) {
        top.push_back(ranked[i].second);
    }
    if (top != shownRows_ || chosen != shownScore_) {
        rebuildGrid(top, chosen);
    }
    export_->setEnabled(!shownRows_.empty());
    std::vector<double> curve;
    curve.reserve(ranked.size());
    for (const auto& entry : ranked) {
        if (std::isfinite(entry.first)) {  // a NaN has no place on the axis
            curve.push_back(higherIsMoreUncertain(chosen) ? entry.first : -entry.first);
        }
    }
    if (higherIsMoreUncertain(chosen)) {
        std::sort(curve.begin(), curve.end(), std::greater<double>());
    } else {
        std::sort(curve.begin(), curve.end());
    }
    curve_->setCurve(curve, QString::fromStdString(scoreLabel(chosen)), k);
}

void RankingView::rebuildGrid(const std::vector<int>& rows, Score chosen) {
    shownRows_ = rows;
    shownScore_ = chosen;
    itemOfPath_.clear();
    grid_->clear();
    for (int row : rows) {
        const ImageResult* r = results_->result(row);
        const double value = scoreValue(r->summary, chosen);
        const QString path = pathText(r->path);
        const QString score = QString::number(value, 'f', 3);
        const QString name = results_->className(r->summary.argmaxPrediction);
        const ImageEntry& entry = results_->entry(row);
        const bool wrong = entry.label != kNoLabel && entry.label != r->summary.argmaxPrediction;
        // The whole caption is the item's text (what sizes the tile and what a screen reader
        // reads); TileDelegate draws it fitted from its parts.
        auto* item = new QListWidgetItem(thumbnails_->thumbnail(path),
                                         score + "\n" + name + (wrong ? " ✗" : ""));
        item->setData(RowRole, row);
        item->setData(ScoreTextRole, score);
        item->setData(ClassNameRole, name);
        item->setData(WrongRole, wrong);
        item->setToolTip(plainToolTip(
            QString("%1\n%2 = %3\nlabel: %4")
                .arg(shownPath(path), QString::fromStdString(scoreName(chosen)),
                     QString::number(value, 'f', 4),
                     entry.label == kNoLabel ? tr("none") : results_->className(entry.label))));
        grid_->addItem(item);
        itemOfPath_.insert(path, item);
    }
}

QString RankingView::writeRankingCsv(const QString& path) const {
    // The names as the model has them, as the CLI writes them, not as shown.
    const std::vector<std::string> classes = toStdStrings(results_->classes());
    std::vector<RankedImage> images;
    for (int row : shownRows_) {
        if (const ImageResult* result = results_->result(row)) {
            images.push_back(rankedImage(*result, classes, shownScore_));
        }  // else a reset between: the refresh it triggers has emptied the grid already
    }
    return writeAtomically(
        path, [&](std::ostream& out) { ue::writeRankingCsv(out, images, shownScore_); });
}

QString RankingView::tileCaption(int index) const {
    QListWidgetItem* item = grid_->item(index);
    if (!item) {
        return {};
    }
    const auto* grid = static_cast<const TileGrid*>(grid_);
    const auto* delegate = static_cast<const TileDelegate*>(grid_->itemDelegate());
    return delegate->shownCaption(grid->tileOption(item), grid_->indexFromItem(item));
}

}  // namespace ue::ui
