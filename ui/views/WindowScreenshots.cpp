#include "views/WindowScreenshots.h"

#include <QApplication>
#include <QDir>

#include "model/GammaSweepData.h"
#include "views/AnalysisTabs.h"
#include "views/AugmentPolicyDialog.h"
#include "views/AugmentedCopiesView.h"
#include "views/GammaSweepView.h"
#include "views/InspectorView.h"
#include "views/MainWindow.h"
#include "views/RunToolbar.h"

namespace ue::ui {

QStringList saveWindowScreenshots(MainWindow& window, const QString& folder) {
    QDir().mkpath(folder);
    QStringList written;
    const auto save = [&](QWidget* widget, const QString& name) {
        const QString path = QDir(folder).filePath(name);
        // A tab just brought forward lays itself out in posted events: grabbed before them, a
        // wrapped label kept the height it had for its old text (the TTA header lost a line).
        QApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        if (widget->grab().save(path)) {
            written << path;
        }
    };
    const CentralTabs::Tab tab = window.currentCentralTab();
    RunToolbar* toolbar = window.runToolbar();
    if (toolbar->augmentPolicy().enabled()) {
        // A run with test-time augmentation: its copies and the spread they give.
        window.showCentralTab(CentralTabs::InspectorTab);
        save(window.inspector(), "tta-inspector.png");
        window.showCentralTab(CentralTabs::CopiesTab);
        save(&window, "tta-copies.png");
        AugmentPolicyDialog* dialog = window.augmentedCopies()->editPolicy(toolbar->options());
        dialog->refreshPreview();
        save(dialog, "tta-policy.png");
        dialog->reject();
        window.showCentralTab(tab);
        return written;
    }
    window.showCentralTab(CentralTabs::InspectorTab);
    save(&window, "main-window.png");
    save(window.inspector(), "inspector.png");
    window.analysis()->saveScreenshots(save);
    if (!window.gammaSweep()->data().isEmpty()) {
        window.showCentralTab(CentralTabs::GammaSweepTab);
        save(&window, "gamma-sweep.png");
    }
    window.showCentralTab(tab);
    return written;
}

}  // namespace ue::ui
