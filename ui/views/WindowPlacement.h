#pragma once
#include <QByteArray>

class QMainWindow;

namespace ue::ui {

// Puts a main window where it was (its saved geometry and dock state), or, on the first start,
// sizes it to the screen and its two docks in proportion.
void placeWindow(QMainWindow& window, const QByteArray& savedGeometry,
                 const QByteArray& savedState);

}  // namespace ue::ui
