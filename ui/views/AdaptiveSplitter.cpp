#include "views/AdaptiveSplitter.h"

#include <QResizeEvent>
#include <algorithm>

namespace ue::ui {

AdaptiveSplitter::AdaptiveSplitter(int sideBySideWidth, int stackedPaneHeight, QWidget* parent)
    : QSplitter(Qt::Horizontal, parent),
      sideBySideWidth_(sideBySideWidth),
      stackedPaneHeight_(stackedPaneHeight) {
    setChildrenCollapsible(false);
}

void AdaptiveSplitter::resizeEvent(QResizeEvent* event) {
    arrangeFor(event->size().width());
    QSplitter::resizeEvent(event);
}

// Stable at any width as long as side by side fits in sideBySideWidth: a width that chooses
// side by side is never below what side by side needs, so the change cannot resize us back.
void AdaptiveSplitter::arrangeFor(int width) {
    const Qt::Orientation wanted = width >= sideBySideWidth_ ? Qt::Horizontal : Qt::Vertical;
    if (wanted == orientation()) {
        return;
    }
    setOrientation(wanted);
    // Stacked, a pane is at least stackedPaneHeight tall; side by side again, it gets back the
    // minimum it had of its own (a plot's readable height), which stacking must not erase.
    if (wanted == Qt::Vertical) {
        ownMinimumHeights_.clear();
        for (int i = 0; i < count(); ++i) {
            ownMinimumHeights_.push_back(widget(i)->minimumHeight());
            widget(i)->setMinimumHeight(std::max(ownMinimumHeights_.back(), stackedPaneHeight_));
        }
    } else {
        for (int i = 0; i < count() && i < int(ownMinimumHeights_.size()); ++i) {
            widget(i)->setMinimumHeight(ownMinimumHeights_[std::size_t(i)]);
        }
    }
    // Equal shares in either direction: the sizes kept from the other one mean nothing here.
    setSizes(QList<int>(count(), 1000));
}

}  // namespace ue::ui
