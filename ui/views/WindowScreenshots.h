#pragma once
#include <QString>
#include <QStringList>

namespace ue::ui {

class MainWindow;

// Screenshots of the window and its views for the docs, saved as PNG into `folder`: after a run
// with test-time augmentation its inspector, copies tab and policy editor; otherwise the main
// window, the inspector, every analysis tab and, when there is one, the gamma sweep. Returns
// the files written.
QStringList saveWindowScreenshots(MainWindow& window, const QString& folder);
// After a comparison: the Compare tab as it is, then with the selected image's histograms per
// method.
QStringList saveCompareScreenshots(MainWindow& window, const QString& folder);

}  // namespace ue::ui
