#include "views/WindowMenus.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>

#include "AppSettings.h"
#include "PlainText.h"
#include "model/PathText.h"
#include "plots/ExportablePlot.h"
#include "views/InspectorView.h"
#include "views/MainWindow.h"
#include "views/RunToolbar.h"

namespace ue::ui {

WindowMenus::WindowMenus(MainWindow* window, AppSettings& settings)
    : QObject(window), window_(window), settings_(settings) {
    RunToolbar* toolbar = window_->runToolbar();
    QMenu* file = window_->menuBar()->addMenu(tr("&File"));
    file->addAction(toolbar->openModelAction());
    file->addAction(toolbar->openImagesAction());
    file->addAction(tr("Open image files…"), this, [this] { chooseImages(false); });
    recentModels_ = file->addMenu(tr("Recent models"));
    recentInputs_ = file->addMenu(tr("Recent images"));
    file->addAction(tr("Load per-class thresholds…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(window_, tr("Load per-class thresholds"),
                                                          settings_.lastModelFolder(),
                                                          tr("Thresholds (*.json);;All files (*)"));
        if (path.isEmpty()) {
            return;
        }
        if (const QString error = window_->loadThresholds(path); !error.isEmpty()) {
            warnPlainly(window_, tr("Cannot load thresholds"), error);
        }
    });
    file->addSeparator();
    file->addAction(tr("Export results as CSV…"), this, [this] {
        exportCsvWithDialog(tr("Export results"), "results.csv", &MainWindow::exportResultsCsv);
    });
    file->addAction(tr("Export raw samples of the selected images…"), this, [this] {
        exportCsvWithDialog(tr("Export raw samples"), "samples.csv", &MainWindow::exportRawSamples);
    });
    // The inspector's plot as shown: histograms, or class probabilities for passes without a
    // spread.
    file->addAction(tr("Export the inspector's plot…"), this,
                    [this] { window_->inspector()->shownPlot()->exportWithDialog(); });
    file->addSeparator();
    file->addAction(tr("Quit"), QKeySequence::Quit, window_, &QWidget::close);

    QMenu* run = window_->menuBar()->addMenu(tr("&Run"));
    run->addAction(toolbar->runAction());
    run->addAction(toolbar->cancelAction());

    QMenu* view = window_->menuBar()->addMenu(tr("&View"));
    for (auto* dock : window_->findChildren<QDockWidget*>()) {
        view->addAction(dock->toggleViewAction());
    }
    view->addAction(toolbar->toggleViewAction());
    rebuildRecent();
}

void WindowMenus::rebuildRecent() {
    const auto fill = [this](QMenu* menu, const QStringList& paths) {
        menu->clear();
        for (const QString& path : paths) {
            // A menu takes "&" for a shortcut mark: "R&D" would show as "RD" with D underlined.
            const QString shown = shownPath(path).replace('&', "&&");
            menu->addAction(shown, this, [this, path] { window_->openPaths({path}); });
        }
        menu->setEnabled(!paths.isEmpty());
    };
    fill(recentModels_, settings_.recentModels());
    fill(recentInputs_, settings_.recentInputs());
}

void WindowMenus::chooseModel() {
    const QString path =
        QFileDialog::getOpenFileName(window_, tr("Open model bundle"), settings_.lastModelFolder(),
                                     tr("Models: TorchScript bundles, ensemble manifests (*.pt "
                                        "*.pth *.ts *.json);;All files (*)"));
    if (!path.isEmpty()) {
        window_->openModel(path);
    }
}

void WindowMenus::chooseImages(bool folder) {
    QStringList chosen;
    if (folder) {
        const QString dir = QFileDialog::getExistingDirectory(window_, tr("Open image folder"),
                                                              settings_.lastImageFolder());
        if (!dir.isEmpty()) {
            chosen << dir;
        }
    } else {
        chosen = QFileDialog::getOpenFileNames(
            window_, tr("Open images"), settings_.lastImageFolder(),
            tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm);;All files (*)"));
    }
    if (!chosen.isEmpty()) {
        window_->openPaths(chosen);
    }
}

void WindowMenus::exportCsvWithDialog(const QString& title, const QString& fileName,
                                      QString (MainWindow::*write)(const QString&) const) {
    const QString path = QFileDialog::getSaveFileName(
        window_, title, settings_.lastImageFolder() + "/" + fileName, tr("CSV (*.csv)"));
    if (path.isEmpty()) {
        return;
    }
    if (const QString error = (window_->*write)(path); !error.isEmpty()) {
        warnPlainly(window_, tr("Export failed"), error);
    }
}

}  // namespace ue::ui
