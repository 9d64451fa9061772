#include "plots/UncertaintySplitBar.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

namespace ue::ui {

namespace {
const QColor kAleatoric(0x2e, 0x86, 0xc1);
const QColor kEpistemic(0xe6, 0x7e, 0x22);
constexpr int kBarHeight = 12;
}  // namespace

UncertaintySplitBar::UncertaintySplitBar(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(40);
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
    painter.setBrush(kAleatoric);
    painter.drawRect(QRectF(bar.left(), bar.top(), aleatoricWidth, bar.height()));
    painter.setBrush(kEpistemic);
    painter.drawRect(QRectF(bar.left() + aleatoricWidth, bar.top(), epistemicWidth, bar.height()));

    const double total = aleatoric_ + epistemic_;
    const auto share = [total](double part) {
        return total > 0 ? QString::number(100.0 * part / total, 'f', 0) + "%" : QString("–");
    };
    QFont font = painter.font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    painter.setFont(font);
    const QRectF text(1, kBarHeight + 3, width() - 2, height() - kBarHeight - 3);
    painter.setPen(kAleatoric.darker(120));
    painter.drawText(text, Qt::AlignLeft | Qt::AlignTop,
                     tr("aleatoric %1 (%2)").arg(aleatoric_, 0, 'f', 3).arg(share(aleatoric_)));
    painter.setPen(kEpistemic.darker(130));
    painter.drawText(text, Qt::AlignRight | Qt::AlignTop,
                     tr("epistemic %1 (%2)").arg(epistemic_, 0, 'f', 3).arg(share(epistemic_)));
}

}  // namespace ue::ui
