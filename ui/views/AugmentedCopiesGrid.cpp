#include "views/AugmentedCopiesGrid.h"
#include "PlainText.h"
#include "plots/PlotPalette.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace ue::ui {
namespace {

constexpr int kGap = 8;
constexpr int kCaptionLines = 2;

int captionHeight(const QFontMetrics& metrics) {
    return kCaptionLines * metrics.height() + 2;
}

}  // namespace

AugmentedCopiesGrid::AugmentedCopiesGrid(QWidget* parent) : QWidget(parent) {
    setObjectName("augmentedCopiesGrid");
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void AugmentedCopiesGrid::setCopies(std::vector<AugmentedCopy> copies) {
    copies_ = std::move(copies);
    outcomes_.clear();
    message_.clear();
    updateGeometry();
    update();
}

void AugmentedCopiesGrid::setOutcomes(std::vector<CopyOutcome> outcomes, const QStringList& classes,
                                      int overallPrediction) {
    outcomes_ = std::move(outcomes);
    classes_ = classes;
    overallPrediction_ = overallPrediction;
    update();
}

void AugmentedCopiesGrid::setMessage(const QString& message) {
    copies_.clear();
    outcomes_.clear();
    message_ = message;
    updateGeometry();
    update();
}

void AugmentedCopiesGrid::setTileSide(int side) {
    tileSide_ = std::max(24, side);
    updateGeometry();
    update();
}

int AugmentedCopiesGrid::disagreeing() const {
    return countDisagreeing(outcomes_, overallPrediction_);
}

int AugmentedCopiesGrid::columnsFor(int width) const {
    return std::max(1, (width - kGap) / (tileSide_ + kGap));
}

QRect AugmentedCopiesGrid::tileRect(int index) const {
    const int columns = columnsFor(width());
    const int cellHeight = tileSide_ + captionHeight(fontMetrics()) + kGap;
    const int row = index / columns;
    const int column = index % columns;
    return {kGap + column * (tileSide_ + kGap), kGap + row * cellHeight, tileSide_, tileSide_};
}

int AugmentedCopiesGrid::tileAt(const QPoint& position) const {
    for (int i = 0; i < copyCount(); ++i) {
        QRect cell = tileRect(i);
        cell.setHeight(cell.height() + captionHeight(fontMetrics()));
        if (cell.contains(position)) {
            return i;
        }
    }
    return -1;
}

int AugmentedCopiesGrid::heightForWidth(int width) const {
    if (copies_.empty()) {
        return 3 * fontMetrics().height();
    }
    const int columns = columnsFor(width);
    const int rows = (copyCount() + columns - 1) / columns;
    return kGap + rows * (tileSide_ + captionHeight(fontMetrics()) + kGap);
}

QSize AugmentedCopiesGrid::sizeHint() const {
    const int width = 8 * (tileSide_ + kGap) + kGap;
    return {width, heightForWidth(width)};
}

QString AugmentedCopiesGrid::tileToolTip(int index) const {
    if (index < 0 || index >= copyCount()) {
        return {};
    }
    QString text = tr("Copy %1: %2").arg(index + 1).arg(copies_[std::size_t(index)].description);
    if (std::size_t(index) < outcomes_.size()) {
        const CopyOutcome& o = outcomes_[std::size_t(index)];
        text +=
            tr("\npredicts %1 (%2)")
                .arg(classes_.value(o.predicted), QString::number(o.predictedProbability, 'f', 3));
        if (o.predicted != overallPrediction_) {
            text += tr("; %1 (the image's prediction) gets %2")
                        .arg(classes_.value(overallPrediction_),
                             QString::number(o.referenceProbability, 'f', 3));
        }
    }
    return text;
}

bool AugmentedCopiesGrid::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = tileToolTip(tileAt(help->pos()));
        if (text.isEmpty()) {
            QToolTip::hideText();
        } else {
            QToolTip::showText(help->globalPos(), plainToolTip(text), this);
        }
        return true;
    }
    return QWidget::event(event);
}

void AugmentedCopiesGrid::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    if (copies_.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(kGap, kGap, -kGap, -kGap),
                         Qt::AlignLeft | Qt::TextWordWrap, message_);
        return;
    }
    const QFontMetrics metrics = fontMetrics();
    for (int i = 0; i < copyCount(); ++i) {
        const QRect tile = tileRect(i);
        // Nearest-neighbour scaling: a 28 x 28 input shows its real pixels, not a blur.
        painter.drawImage(tile, copies_[std::size_t(i)].image);
        const bool known = std::size_t(i) < outcomes_.size();
        const bool differs = known && outcomes_[std::size_t(i)].predicted != overallPrediction_;
        painter.setPen(
            QPen(differs ? kCopyDisagreesColour : palette().color(QPalette::Mid), differs ? 3 : 1));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(tile.adjusted(0, 0, -1, -1));
        QRect caption(tile.left(), tile.bottom() + 2, tile.width(), metrics.height());
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(
            caption, Qt::AlignLeft,
            copies_[std::size_t(i)].original ? tr("#%1 orig.").arg(i + 1) : tr("#%1").arg(i + 1));
        if (known) {
            const CopyOutcome& o = outcomes_[std::size_t(i)];
            painter.setPen(differs ? kCopyDisagreesColour : kCopyAgreesColour);
            painter.drawText(caption, Qt::AlignRight,
                             QString::number(o.predictedProbability, 'f', 2));
            caption.translate(0, metrics.height());
            painter.drawText(
                caption, Qt::AlignLeft,
                metrics.elidedText(classes_.value(o.predicted), Qt::ElideRight, caption.width()));
        }
    }
}

}  // namespace ue::ui
