// The generated bad-input corpus (tests/data/make_bad_inputs.py) run through the window: every
// broken file is in the error list with its message, the rest complete, nothing crashes.
#include <stdio.h>
#include <unistd.h>

#include <QApplication>
#include <QDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include "UiTestSupport.h"
#include "model/PathText.h"
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

    // Linux names are bytes: one that is not UTF-8 is analysed, keeps its own row and shows
    // its thumbnail (QString::fromStdString made it another name that could not be opened).
    void aNameThatIsNotUtf8IsAnalysedAndShown() {
        QTemporaryDir folder;
        const std::string bag = UE_SOURCE_DIR "/resources/samples/fashion-mnist/Bag/";
        const std::string first = folder.path().toStdString() + "/bad\xff.png";
        const std::string second = folder.path().toStdString() + "/bad\xfe.png";
        QVERIFY(QFile::copy(QString::fromStdString(bag + "00018.png"), folder.filePath("a.png")));
        QVERIFY(QFile::copy(QString::fromStdString(bag + "00030.png"), folder.filePath("b.png")));
        // QDir cannot name these to remove them: the test does.
        const auto removeThem = qScopeGuard([&] {
            ::unlink(first.c_str());
            ::unlink(second.c_str());
        });
        QCOMPARE(::rename(folder.filePath("a.png").toUtf8().constData(), first.c_str()), 0);
        QCOMPARE(::rename(folder.filePath("b.png").toUtf8().constData(), second.c_str()), 0);

        DropTarget window;
        window.show();
        QVERIFY(runDemoToCompletion(window, {folder.path()}, Method::McDropout, 5, 7));
        ResultsModel* results = window.results();
        QCOMPARE(results->rowCount(), 2);
        QCOMPARE(results->failedCount(), 0);
        for (const std::string& path : {first, second}) {
            const int row = results->rowOfPath(pathText(path));
            QVERIFY(row >= 0);
            QCOMPARE(results->entry(row).path, path);
            const QModelIndex cell = results->index(row, ResultsModel::ImageColumn);
            results->data(cell, Qt::DecorationRole);  // starts loading the thumbnail
            QTRY_VERIFY(!results->data(cell, Qt::DecorationRole).value<QPixmap>().isNull());
            const QPixmap thumbnail = results->data(cell, Qt::DecorationRole).value<QPixmap>();
            QVERIFY(thumbnail.width() > 1);  // not the 1 x 1 stand-in of an unreadable file
        }
    }

  private:
    QTemporaryDir corpus_;
    QJsonObject expected_;
    QString images_;
};

QTEST_MAIN(HostileInputsTest)
#include "HostileInputsTest.moc"
