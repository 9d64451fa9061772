// The generated bad-input corpus (tests/data/make_bad_inputs.py) run through the window: every
// broken file is in the error list with its message, the rest complete, nothing crashes.
#include <unistd.h>

#include <QApplication>
#include <QDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include "UiTestSupport.h"
#include "model/ResultsModel.h"

using namespace ue;
using namespace ue::ui;

class HostileInputsTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(corpus_.isValid());
        QProcess generator;
        generator.setProcessChannelMode(QProcess::ForwardedChannels);
        generator.start(UE_PYTHON, {UE_SOURCE_DIR "/tests/data/make_bad_inputs.py",
                                    corpus_.filePath("c"), "--no-models"});
        QVERIFY(generator.waitForFinished(120000));
        QCOMPARE(generator.exitCode(), 0);
        QFile expected(corpus_.filePath("c/expected.json"));
        QVERIFY(expected.open(QIODevice::ReadOnly));
        expected_ = QJsonDocument::fromJson(expected.readAll()).object();
        images_ = corpus_.filePath("c/images");
    }

    void badFilesAreListedWithTheirMessagesAndTheRestComplete() {
        DropTarget window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {images_}, Method::McDropout, 5, 7));
        const ResultsModel* results = window.results();
        const QJsonObject cases = expected_["images"].toObject();
        QCOMPARE(results->rowCount(), int(cases.size()));

        const QStringList errors = window.errorList();
        int failed = 0;
        for (auto it = cases.begin(); it != cases.end(); ++it) {
            const QString path = images_ + "/" + it.key();
            const int row = results->rowOfPath(path);
            QVERIFY2(row >= 0, qPrintable(path));
            const ImageResult* result = results->result(row);
            QVERIFY2(result, qPrintable(path));
            // Root reads a mode-000 file anyway (the CLI test runs that case as nobody).
            const bool shouldFail =
                !it.value().isNull() && !(it.key() == "unreadable.png" && geteuid() == 0);
            QVERIFY2(result->ok != shouldFail, qPrintable(path));
            if (shouldFail) {
                ++failed;
                const QString message = QString::fromStdString(result->error);
                QVERIFY2(message.startsWith(path + ": ") && message.contains(it.value().toString()),
                         qPrintable(message));
                QVERIFY2(errors.contains(message), qPrintable(message));
            }
        }
        QCOMPARE(results->failedCount(), failed);
        const QString loop = images_ + "/" + expected_["loop_image"].toString() + ": " +
                             expected_["loop_message"].toString();
        QVERIFY2(errors.contains(loop), qPrintable(errors.join('\n')));
        QCOMPARE(errors.size(), failed + 1);

        // The status bar's count opens the list a user reads: the same lines.
        QPushButton* counts = nullptr;
        for (auto* button : window.statusBar()->findChildren<QPushButton*>()) {
            if (button->text().contains("failed")) {
                counts = button;
            }
        }
        QVERIFY(counts && counts->isEnabled());
        // The symlink loop never became an image: counted apart from the images that failed.
        QVERIFY2(counts->text().contains(QString("%1 failed · 1 skipped").arg(failed)),
                 qPrintable(counts->text()));
        QString shown;
        QTimer::singleShot(0, this, [&shown] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            if (dialog) {
                shown = dialog->findChild<QPlainTextEdit*>()->toPlainText();
                dialog->reject();
            }
        });
        counts->click();
        QCOMPARE(shown, errors.join('\n'));
    }

  private:
    QTemporaryDir corpus_;
    QJsonObject expected_;
    QString images_;
};

QTEST_MAIN(HostileInputsTest)
#include "HostileInputsTest.moc"
