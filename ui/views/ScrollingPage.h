#pragma once
#include <QScrollArea>
#include <QTabWidget>

namespace ue::ui {

// A tab page that scrolls rather than squeezes: in a window on a small screen a tab or dock
// narrower or shorter than its content gets scroll bars, its plots keep a readable size, and
// the window is not held wider than the screen by its widest page.
QScrollArea* scrollingPage(QWidget* content);

// Scrolls the page that holds `child` until it shows (as much as fits of) `child`.
void scrollPageTo(QWidget* child);

// Brings the page that holds `content` (itself or a scrolling page around it) to the front.
void showPageOf(QTabWidget* tabs, QWidget* content);

}  // namespace ue::ui
