#include "plots/UncertaintySplitBar.h"

#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "plots/PlotPalette.h"

namespace ue::ui {

namespace {
constexpr int kBarHeight = 12;
}  // namespace

UncertaintySplitBar::UncertaintySplitBar(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void UncertaintySplitBar::setSplit(double aleatoric, double epistemic, int classes) {
    empty_ = false;
    aleatoric_ = std::max(aleatoric, 0.0);
    epistemic_ = std::max(epistemic, 0.0);
    maximum_ = classes > 1 ? std::log(double(classes)) : 1.0;
    setToolTip(tr("Total uncertainty (predictive entropy) %1 nats = aleatoric (expected entropy) "
                  "%2 + epistemic (mutual information) %3. The bar's full width is ln %4 = %5, "
                  "the entropy of a uniform guess.")
                   .arg(aleatoric_ + epistemic_, 0, 'f', 4)
                   .arg(aleatoric_, 0, 'f', 4)
                   .arg(epistemic_, 0, 'f', 4)
                   .arg(classes)
                   .arg(maximum_, 0, 'f', 3));
    update();
}

void UncertaintySplitBar::clear() {
    empty_ = true;
    setToolTip({});
    update();
}

QFont UncertaintySplitBar::captionFont() const {
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    return small;
}

QSize UncertaintySplitBar::sizeHint() const {
    const QFontMetricsF metrics(captionFont());
    return {224, kBarHeight + 3 + int(std::ceil(2 * metrics.lineSpacing())) + 2};
}

std::array<UncertaintySplitBar::Caption, 2> UncertaintySplitBar::captions() const {
    const double total = aleatoric_ + epistemic_;
    const auto share = [total](double part) {
        return total > 0 ? QString::number(100.0 * part / total, 'f', 0) + "%" : QString("–");
    };
    const QString aleatoric =
        tr("aleatoric %1 (%2)").arg(aleatoric_, 0, 'f', 3).arg(share(aleatoric_));
    const QString epistemic =
        tr("epistemic %1 (%2)").arg(epistemic_, 0, 'f', 3).arg(share(epistemic_));
    // Each caption was drawn at its end of one line: when one share was near 100 % the two
    // texts were as wide as the bar and ran into each other ("…(100%)epistemic…").
    const QFontMetricsF metrics(captionFont());
    const double left = 1;
    const double room = std::max(0.0, width() - 2.0);
    const double gap = metrics.horizontalAdvance(QStringLiteral("M"));
    const double top = kBarHeight + 3;
    const double line = metrics.lineSpacing();
    const double aleatoricWidth = metrics.horizontalAdvance(aleatoric);
    const double epistemicWidth = metrics.horizontalAdvance(epistemic);
    if (aleatoricWidth + gap + epistemicWidth <= room) {
        return {
            Caption{aleatoric, QRectF(left, top, aleatoricWidth, line)},
            Caption{epistemic, QRectF(left + room - epistemicWidth, top, epistemicWidth, line)}};
    }
    const QString aleatoricShown = metrics.elidedText(aleatoric, Qt::ElideRight, room);
    const QString epistemicShown = metrics.elidedText(epistemic, Qt::ElideRight, room);
    const double aleatoricShownWidth = metrics.horizontalAdvance(aleatoricShown);
    const double epistemicShownWidth = metrics.horizontalAdvance(epistemicShown);
    return {Caption{aleatoricShown, QRectF(left, top, aleatoricShownWidth, line)},
            Caption{epistemicShown, QRectF(left + room - epistemicShownWidth, top + line,
                                           epistemicShownWidth, line)}};
}

void UncertaintySplitBar::paintEvent(QPaintEvent*) {
    if (empty_) {
        return;
    }
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF bar(1, 1, width() - 2, kBarHeight);
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette().color(QPalette::Midlight));
    painter.drawRoundedRect(bar, 3, 3);
    const double scale = bar.width() / maximum_;
    const double aleatoricWidth = std::min(aleatoric_ * scale, bar.width());
    const double epistemicWidth = std::min(epistemic_ * scale, bar.width() - aleatoricWidth);
    painter.setBrush(kAleatoricColour);
    painter.drawRect(QRectF(bar.left(), bar.top(), aleatoricWidth, bar.height()));
    painter.setBrush(kEpistemicColour);
    painter.drawRect(QRectF(bar.left() + aleatoricWidth, bar.top(), epistemicWidth, bar.height()));

    painter.setFont(captionFont());
    const auto [aleatoric, epistemic] = captions();
    painter.setPen(kAleatoricColour.darker(120));
    painter.drawText(aleatoric.rect, Qt::AlignLeft | Qt::AlignTop | Qt::TextDontClip,
                     aleatoric.text);
    painter.setPen(kEpistemicColour.darker(130));
    painter.drawText(epistemic.rect, Qt::AlignLeft | Qt::AlignTop | Qt::TextDontClip,
                     epistemic.text);
}

}  // namespace ue::ui
