#pragma once
// What the window tests share: a run of the demo model started as a user would, waited for.
#include <QSignalSpy>
#include <QStringList>

#include "engine/McEngine.h"
#include "views/MainWindow.h"
#include "views/RunToolbar.h"

namespace ue::ui {

inline const QString kDemoModel = UE_SOURCE_DIR "/models/fmnist-mc-cnn.pt";

// Opens the demo model with `inputs` and these options, and waits until the run has finished.
inline bool runDemoToCompletion(MainWindow& window, const QStringList& inputs, Method method,
                                int samples, std::uint64_t seed) {
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.runToolbar()->setOptions(method, samples, seed);
    window.setInputs(inputs);
    window.setAutoRun(true);
    window.openModel(kDemoModel);
    return finished.wait(120000);
}

}  // namespace ue::ui
