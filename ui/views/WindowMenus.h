#pragma once
#include <QObject>
#include <QString>

class QMenu;

namespace ue::ui {

class AppSettings;
class MainWindow;

// The window's menu bar and the file dialogs behind it: open a model or images (and the recent
// ones), load thresholds, the CSV exports, quit, and the View menu's dock toggles. It acts only
// through MainWindow's public API.
class WindowMenus : public QObject {
    Q_OBJECT
  public:
    WindowMenus(MainWindow* window, AppSettings& settings);

    // Refills Recent models / Recent images from the settings.
    void rebuildRecent();
    void chooseModel();
    void chooseImages(bool folder);

  private:
    void exportCsvWithDialog(const QString& title, const QString& fileName,
                             QString (MainWindow::*write)(const QString&) const);

    MainWindow* window_;
    AppSettings& settings_;
    QMenu* recentModels_ = nullptr;
    QMenu* recentInputs_ = nullptr;
};

}  // namespace ue::ui
