#include "views/ScrollingPage.h"

namespace ue::ui {

QScrollArea* scrollingPage(QWidget* content) {
    auto* page = new QScrollArea;
    page->setWidgetResizable(true);
    page->setFrameShape(QFrame::NoFrame);
    page->setWidget(content);
    return page;
}

void scrollPageTo(QWidget* child) {
    for (QWidget* up = child->parentWidget(); up; up = up->parentWidget()) {
        if (auto* page = qobject_cast<QScrollArea*>(up)) {
            page->ensureWidgetVisible(child, 0, 40);  // and the line of controls above it
            return;
        }
    }
}

void showPageOf(QTabWidget* tabs, QWidget* content) {
    for (int i = 0; i < tabs->count(); ++i) {
        QWidget* page = tabs->widget(i);
        if (page == content || page->isAncestorOf(content)) {
            tabs->setCurrentIndex(i);
            return;
        }
    }
}

}  // namespace ue::ui
