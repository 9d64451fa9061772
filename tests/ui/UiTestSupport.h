#pragma once
// What the window tests share: a run of the demo model started as a user would, waited for.
#include <QDropEvent>
#include <QMimeData>
#include <QSignalSpy>
#include <QStringList>
#include <QUrl>

#include "engine/McEngine.h"
#include "views/MainWindow.h"
#include "views/RunToolbar.h"

namespace ue::ui {

inline const QString kDemoModel = UE_SOURCE_DIR "/models/fmnist-mc-cnn.pt";

// Qt delivers a real drop only to the target of a drag in progress, which a test cannot start:
// call the window's own handlers, the code a user's drop runs.
class DropTarget : public MainWindow {
  public:
    // Drags `paths` over the window and drops them; whether both were accepted.
    bool drop(const QStringList& paths) {
        QMimeData mime;
        QList<QUrl> urls;
        for (const QString& path : paths) {
            urls << QUrl::fromLocalFile(path);
        }
        mime.setUrls(urls);
        QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        enter.ignore();
        dragEnterEvent(&enter);
        QDropEvent dropped(QPointF(200, 200), Qt::CopyAction, &mime, Qt::LeftButton,
                           Qt::NoModifier);
        dropped.ignore();
        dropEvent(&dropped);
        return enter.isAccepted() && dropped.isAccepted();
    }
};

// Opens the demo model (or `model`) with `inputs` and these options, and waits until the run
// has finished.
inline bool runDemoToCompletion(MainWindow& window, const QStringList& inputs, Method method,
                                int samples, std::uint64_t seed,
                                const QString& model = kDemoModel) {
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.runToolbar()->setOptions(method, samples, seed);
    window.setInputs(inputs);
    window.setAutoRun(true);
    window.openModel(model);
    return finished.wait(120000);
}

}  // namespace ue::ui
