// uncertainty-explorer: the desktop window. Usage:
//   uncertainty-explorer [--demo] [--model M] [--method NAME] [--samples T] [--tta-policy FILE]
//                        [--run] [--compare METHODS.json] [--screenshots DIR] [PATH...]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>
#include <cstdio>
#include <string_view>

#include "io/DataDir.h"
#include "io/PrintableText.h"
#include "model/PathText.h"
#include "views/BrowserView.h"
#include "views/ComparisonView.h"
#include "views/GammaSweepView.h"
#include "views/MainWindow.h"
#include "views/MethodListEditor.h"
#include "views/OodView.h"
#include "views/RankingView.h"
#include "views/RunToolbar.h"
#include "views/ThresholdsView.h"
#include "views/WindowScreenshots.h"

#ifndef UE_SOURCE_DIR
#define UE_SOURCE_DIR "."
#endif

namespace {

// models/ and resources/: the package's share folder when installed, else the source tree.
QDir demoDir() {
    return QDir(ue::ui::pathText(ue::bundledDataDir(UE_SOURCE_DIR).string()));
}

// The arguments as given. File names are bytes: QApplication::arguments() turns those that are
// not UTF-8 into U+FFFD, after which the file could not be opened; pathText keeps them.
QStringList argumentsKeepingBytes(int argc, char** argv) {
    QStringList arguments;
    for (int i = 0; i < argc; ++i) {
        arguments << ue::ui::pathText(argv[i]);
    }
    return arguments;
}

// Errors quote paths and file contents: printed as text a terminal cannot take for commands.
void printError(const std::string& message) {
    std::fprintf(stderr, "error: %s\n", ue::printableText(message).c_str());
}

// Whether the command line asks only to be told something: --help or --version (which print and
// exit before any window).
bool printsAndExits(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        if (argument == "--") {
            break;
        }
        if (argument == "-h" || argument == "-?" || argument == "--help" ||
            argument == "--help-all" || argument == "-v" || argument == "--version") {
            return true;
        }
    }
    return false;
}

// QApplication aborts ("could not connect to display") where there is no display: in a
// terminal over ssh, in a container, on a build machine. --help and --version need none, so for
// them alone, when no display and no platform was named, the offscreen platform is used.
void letHelpRunWithoutADisplay(int argc, char** argv) {
    if (!printsAndExits(argc, argv) || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") ||
        !qEnvironmentVariableIsEmpty("DISPLAY") ||
        !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        return;
    }
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "-platform" || std::string_view(argv[i]) == "--platform") {
            return;
        }
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
}

}  // namespace

int main(int argc, char** argv) {
    letHelpRunWithoutADisplay(argc, argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName("Uncertainty Explorer");
    QApplication::setOrganizationName("UncertaintyExplorer");
    QApplication::setApplicationVersion("0.1.0");
    QApplication::setWindowIcon(QIcon(":/uncertainty-explorer.svg"));
    // Names the installed .desktop entry, so that desktops match the window to it and its icon.
    QGuiApplication::setDesktopFileName("io.github.uncertainty_explorer.UncertaintyExplorer");

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "See how sure an image classifier is: Monte Carlo passes, per-class histograms, "
        "decision rules and the most uncertain images.");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption model({"m", "model"}, "Model bundle to open.", "file");
    QCommandLineOption demo("demo", "Open the bundled demo model and samples and run them.");
    QCommandLineOption run("run", "Start a run as soon as the model is loaded.");
    QCommandLineOption screenshots(
        "screenshots", "After the run, save screenshots to a folder and quit.", "folder");
    QCommandLineOption thresholds(
        "thresholds", "Per-class thresholds JSON to draw once the model is loaded.", "file");
    QCommandLineOption method("method", "mc-dropout or deterministic (default: as last time).",
                              "name");
    QCommandLineOption samples({"T", "samples"}, "Monte Carlo passes per image.", "T");
    QCommandLineOption ttaPolicy(
        "tta-policy", "Test-time augmentation policy JSON (as the CLI's --tta-policy).", "file");
    QCommandLineOption compare(
        "compare",
        "Methods JSON for the Compare tab; with --screenshots, run it "
        "after the main run and save only compare.png and compare-histograms.png.",
        "file");
    parser.addOptions(
        {model, demo, run, screenshots, thresholds, method, samples, ttaPolicy, compare});
    parser.addPositionalArgument("paths", "Images or folders (and models) to open.", "[PATH...]");
    // After QApplication has taken its own options (-platform, …) out of argv.
    parser.process(argumentsKeepingBytes(argc, argv));

    ue::ui::MainWindow window;
    if (parser.isSet(method) || parser.isSet(samples)) {
        const ue::RunOptions current = window.runToolbar()->options();
        try {
            const ue::Method chosen = parser.isSet(method)
                                          ? ue::methodFromString(parser.value(method).toStdString())
                                          : current.method;
            const int passes =
                parser.isSet(samples) ? parser.value(samples).toInt() : current.samples;
            window.runToolbar()->setOptions(chosen, passes, current.seed);
        } catch (const std::exception& e) {
            printError(e.what());
            return 2;
        }
    }
    if (parser.isSet(ttaPolicy)) {
        try {
            window.setAugmentPolicy(
                ue::loadAugmentPolicy(ue::ui::pathBytes(parser.value(ttaPolicy))), false);
        } catch (const std::exception& e) {
            printError(e.what());
            return 2;
        }
    }
    if (parser.isSet(compare)) {
        const QString error = window.comparison()->methods()->loadFile(parser.value(compare));
        if (!error.isEmpty()) {
            printError(error.toStdString());
            return 2;
        }
    }
    QStringList paths = parser.positionalArguments();
    QString modelPath = parser.value(model);
    bool autoRun = parser.isSet(run) || !paths.isEmpty();
    if (parser.isSet(demo)) {
        const QDir demoRoot = demoDir();
        modelPath = demoRoot.filePath("models/fmnist-mc-cnn.pt");
        paths = {demoRoot.filePath("resources/samples/fashion-mnist")};
        // The demo's validation and out-of-distribution sets are one click away in their tabs.
        window.thresholdStudy()->setValidationInputs(
            {demoRoot.filePath("resources/samples/fashion-mnist-val")});
        window.ood()->setOutInputs({demoRoot.filePath("resources/samples/ood-digits")});
        autoRun = true;
    }
    if (parser.isSet(screenshots)) {
        const QString folder = parser.value(screenshots);
        const auto shootAndQuit = [&window, folder](auto shoot) {
            // Let the last coalesced redraw and the thumbnails land first.
            QTimer::singleShot(1500, &window, [&window, folder, shoot] {
                for (const QString& file : shoot(window, folder)) {
                    qInfo("wrote %s", qPrintable(file));
                }
                window.close();
            });
        };
        const auto saveAndQuit = [shootAndQuit] { shootAndQuit(ue::ui::saveWindowScreenshots); };
        // After the run, a gamma sweep of the same images (a run with test-time augmentation
        // is pictured on its own).
        const bool comparing = parser.isSet(compare);
        QObject::connect(
            &window, &ue::ui::MainWindow::runFinished, &window, [&window, saveAndQuit, comparing] {
                // Show the most uncertain image: that is what the screenshots are for.
                if (!window.ranking()->shownRows().empty()) {
                    window.browser()->selectSourceRow(window.ranking()->shownRows().front());
                }
                if (comparing) {
                    window.showCentralTab(ue::ui::CentralTabs::CompareTab);
                    window.comparison()->requestRun();
                    return;
                }
                if (window.runToolbar()->augmentPolicy().enabled()) {
                    saveAndQuit();
                    return;
                }
                const auto gammas = window.gammaSweep()->requestedGammas();
                window.startGammaSweep(QVector<double>(gammas.begin(), gammas.end()));
            });
        // Then the demo's out-of-distribution set, its validation set, then the screenshots.
        QObject::connect(&window, &ue::ui::MainWindow::gammaSweepFinished, &window, [&window] {
            window.startOodRun({demoDir().filePath("resources/samples/ood-digits")});
        });
        QObject::connect(&window, &ue::ui::MainWindow::oodRunFinished, &window, [&window] {
            window.startValidationRun({demoDir().filePath("resources/samples/fashion-mnist-val")});
        });
        QObject::connect(&window, &ue::ui::MainWindow::validationRunFinished, &window, saveAndQuit);
        // A comparison is pictured on its own: the Compare tab with every method's results.
        QObject::connect(window.comparison(), &ue::ui::ComparisonView::comparisonFinished, &window,
                         [shootAndQuit] { shootAndQuit(ue::ui::saveCompareScreenshots); });
    }
    if (parser.isSet(thresholds)) {
        const QString path = parser.value(thresholds);
        QObject::connect(&window, &ue::ui::MainWindow::modelReady, &window, [&window, path] {
            if (const QString error = window.loadThresholds(path); !error.isEmpty()) {
                printError(error.toStdString());
            }
        });
    }
    window.show();
    window.setInputs(paths);
    window.setAutoRun(autoRun);
    if (!modelPath.isEmpty()) {
        window.openModel(modelPath);
    }
    return app.exec();
}
