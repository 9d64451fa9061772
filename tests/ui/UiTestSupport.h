#pragma once
// What the window tests share: a run of the demo model started as a user would, waited for.
#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QSignalSpy>
#include <QStringList>
#include <QTextDocument>
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
        QList<QUrl> urls;
        for (const QString& path : paths) {
            urls << QUrl::fromLocalFile(path);
        }
        return dropUrls(urls);
    }

    bool dropUrls(const QList<QUrl>& urls) {
        QMimeData mime;
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

// What a user reads where Qt shows `text` as a tooltip, which it takes for HTML when it looks
// like markup before its first line break.
inline QString shownToolTip(const QString& text) {
    QTextDocument document;
    if (Qt::mightBeRichText(text)) {
        document.setHtml(text);
    } else {
        document.setPlainText(text);
    }
    return document.toPlainText();
}

// What a user reads in `label`, after Qt has decided whether its text is HTML.
inline QString shownText(const QLabel& label) {
    const bool rich = label.textFormat() == Qt::RichText ||
                      (label.textFormat() == Qt::AutoText && Qt::mightBeRichText(label.text()));
    QTextDocument document;
    if (rich) {
        document.setHtml(label.text());
    } else {
        document.setPlainText(label.text());
    }
    return document.toPlainText();
}

inline const QLabel* labelShowing(const QWidget& window, const QString& start) {
    for (const QLabel* label : window.findChildren<QLabel*>()) {
        if (shownText(*label).startsWith(start)) {
            return label;
        }
    }
    return nullptr;
}

}  // namespace ue::ui
