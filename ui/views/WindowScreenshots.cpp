#include "views/WindowScreenshots.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>

#include "model/GammaSweepData.h"
#include "plots/MethodHistogramsPlot.h"
#include "views/AnalysisTabs.h"
#include "views/AugmentPolicyDialog.h"
#include "views/AugmentedCopiesView.h"
#include "views/ComparisonView.h"
#include "views/GammaSweepView.h"
#include "views/InspectorView.h"
#include "views/MainWindow.h"
#include "views/RunToolbar.h"
#include "views/ScrollingPage.h"

namespace ue::ui {
namespace {

// Saves `widget` as `folder`/`name`, adding the path to `written` when it was saved.
auto screenshotSaver(const QString& folder, QStringList& written) {
    QDir().mkpath(folder);
    return [folder, &written](QWidget* widget, const QString& name) {
        const QString path = QDir(folder).filePath(name);
        // A tab just brought forward lays itself out in posted events: grabbed before them, a
        // wrapped label kept the height it had for its old text (the TTA header lost a line).
        QApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        if (widget->grab().save(path)) {
            written << path;
        }
    };
}

}  // namespace

QStringList saveWindowScreenshots(MainWindow& window, const QString& folder) {
    QStringList written;
    const auto save = screenshotSaver(folder, written);
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

QStringList saveCompareScreenshots(MainWindow& window, const QString& folder) {
    QStringList written;
    const auto save = screenshotSaver(folder, written);
    window.showCentralTab(CentralTabs::CompareTab);
    save(&window, "compare.png");
    // The selected image as histograms, the other picture of it. The tab may be narrow enough
    // to stack its plots: then the page is scrolled down to them.
    window.comparison()->imageStyle()->setCurrentIndex(1);
    QApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    scrollPageTo(window.comparison()->imageHistograms());
    save(&window, "compare-histograms.png");
    return written;
}

}  // namespace ue::ui
