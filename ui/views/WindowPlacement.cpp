#include "views/WindowPlacement.h"

#include <QDockWidget>
#include <QGuiApplication>
#include <QMainWindow>
#include <QScreen>
#include <QTimer>
#include <algorithm>

namespace ue::ui {
namespace {

constexpr QSize kPreferred(1500, 920);

// 1500 x 920 where it fits; else most of the screen: a window larger than the screen opens with
// its docks and status bar out of reach. The offscreen platform (tests, --screenshots) has a
// nominal 800 x 600 screen and no edge to fall off.
QSize firstStartSize(const QMainWindow& window) {
    const QScreen* screen = window.screen();
    if (screen == nullptr || QGuiApplication::platformName() == "offscreen") {
        return kPreferred;
    }
    return kPreferred.boundedTo(screen->availableGeometry().size() * 0.95)
        .expandedTo(window.minimumSizeHint());
}

}  // namespace

void placeWindow(QMainWindow& window, const QByteArray& savedGeometry,
                 const QByteArray& savedState) {
    window.resize(firstStartSize(window));
    window.restoreGeometry(savedGeometry);
    if (window.restoreState(savedState)) {
        return;
    }
    // First start: docks only take their sizes once the window is laid out. At 1500 px wide,
    // 320 for the browser and 480 for the analysis (its six tab names whole); on a smaller
    // screen in proportion.
    QTimer::singleShot(0, &window, [&window] {
        const double scale = std::min(1.0, window.width() / double(kPreferred.width()));
        window.resizeDocks({window.findChild<QDockWidget*>("browserDock"),
                            window.findChild<QDockWidget*>("analysisDock")},
                           {int(320 * scale), int(480 * scale)}, Qt::Horizontal);
    });
}

}  // namespace ue::ui
