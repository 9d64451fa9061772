// The generated bad-input corpus (tests/data/make_bad_inputs.py) run through the window: every
// broken file is in the error list with its message, the rest complete, nothing crashes.
#include <stdio.h>
#include <unistd.h>

#include <qcustomplot.h>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "AppSettings.h"
#include "PlainText.h"
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
                // Marked beside its name, not only in the status column at the far right.
                const QModelIndex name = results->index(row, ResultsModel::ImageColumn);
                QVERIFY(!name.data(Qt::DecorationRole).value<QIcon>().isNull());
                QCOMPARE(name.data(Qt::ForegroundRole).value<QColor>(), QColor(0xc0, 0x39, 0x2b));
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
    // its thumbnail (QString::fromStdString made it another name that could not be opened). Its
    // odd bytes, like a control character or a right-to-left override (which would show the
    // rest of a name reversed), read as \xHH, as the CLI prints them.
    void aNameThatIsNotUtf8IsAnalysedAndShown() {
        QTemporaryDir folder;
        const std::string bag = UE_SOURCE_DIR "/resources/samples/fashion-mnist/Bag/";
        const std::string first = folder.path().toStdString() + "/bad\xff.png";
        const std::string second = folder.path().toStdString() + "/bad\xfe.png";
        const std::string third = folder.path().toStdString() + "/rtl\u202Egnp\x1b.png";
        QVERIFY(QFile::copy(QString::fromStdString(bag + "00018.png"), folder.filePath("a.png")));
        QVERIFY(QFile::copy(QString::fromStdString(bag + "00030.png"), folder.filePath("b.png")));
        QVERIFY(
            QFile::copy(QString::fromStdString(bag + "00031.png"), QString::fromStdString(third)));
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
        QCOMPARE(results->rowCount(), 3);
        QCOMPARE(results->failedCount(), 0);
        const std::vector<std::pair<std::string, QString>> shown = {
            {first, "bad\\xff.png"},
            {second, "bad\\xfe.png"},
            {third, "rtl\\xe2\\x80\\xaegnp\\x1b.png"}};
        for (const auto& [path, name] : shown) {
            const int row = results->rowOfPath(pathText(path));
            QVERIFY(row >= 0);
            QCOMPARE(results->entry(row).path, path);
            const QModelIndex cell = results->index(row, ResultsModel::ImageColumn);
            QCOMPARE(cell.data(Qt::DisplayRole).toString(), name);
            results->data(cell, Qt::DecorationRole);  // starts loading the thumbnail
            const auto thumbnailSizes = [&] {
                return results->data(cell, Qt::DecorationRole).value<QIcon>().availableSizes();
            };
            QTRY_VERIFY(!thumbnailSizes().isEmpty());
            // Not the 1 x 1 stand-in of an unreadable file.
            QVERIFY(thumbnailSizes().front().width() > 1);
        }
    }

    // A model file whose name is not UTF-8 opens when it is given by its bytes (main() reads
    // argv with pathText), by a path relative to the working folder, and dropped from a file
    // manager, which percent-encodes the bytes in its URL. Decoded as UTF-8, each became a name
    // with U+FFFD in it and "no such model file".
    void aModelNamedInBytesThatAreNotUtf8Opens() {
        QTemporaryDir folder;
        const std::string model = folder.path().toStdString() + "/model\xff.pt";
        QVERIFY(QFile::copy(kDemoModel, folder.filePath("m.pt")));
        const auto removeIt = qScopeGuard([&] { ::unlink(model.c_str()); });
        QCOMPARE(::rename(folder.filePath("m.pt").toUtf8().constData(), model.c_str()), 0);

        const auto opens = [](MainWindow& window, const auto& open) {
            QSignalSpy ready(&window, &MainWindow::modelReady);
            open();
            return ready.wait(30000) && window.session()->hasModel();
        };
        {
            MainWindow window;
            QVERIFY(opens(window, [&] { window.openModel(pathText(model)); }));
            QCOMPARE(AppSettings().recentModels().front(), pathText(model));
            // The next session reads the settings file afresh (this process's QSettings keeps
            // what it wrote in memory): a copy of the file, parsed from disk, still has the
            // bytes. Written as text they became U+FFFD.
            QSettings settings("UncertaintyExplorer", "UncertaintyExplorer");
            settings.sync();
            const QString copy = folder.filePath("next-session.conf");
            QVERIFY(QFile::copy(settings.fileName(), copy));
            const QSettings nextSession(copy, QSettings::IniFormat);
            QCOMPARE(recentPathsFrom(nextSession.value("recent/models")).front(), pathText(model));
        }
        {
            const QString previous = QDir::currentPath();
            const auto restore = qScopeGuard([&] { QDir::setCurrent(previous); });
            QVERIFY(QDir::setCurrent(folder.path()));
            MainWindow window;
            QVERIFY(opens(window, [&] { window.openModel(pathText("model\xff.pt")); }));
        }
        {
            DropTarget window;
            const QUrl url = QUrl::fromEncoded(
                "file://" + QByteArray::fromStdString(model).toPercentEncoding("/"));
            QVERIFY(url.isValid());
            bool accepted = false;
            QVERIFY(opens(window, [&] { accepted = window.dropUrls({url}); }));
            QVERIFY(accepted);
        }
    }

    // The window's command line keeps a file name's bytes: a broken policy or methods file
    // named in bytes that are not UTF-8 is read and found broken (decoded as UTF-8 it was "no
    // such file").
    void theCommandLineKeepsAFileNamesBytes() {
        QTemporaryDir folder;
        const std::string broken = folder.path().toStdString() + "/broken\xff.json";
        const auto removeIt = qScopeGuard([&] { ::unlink(broken.c_str()); });
        {
            QFile file(folder.filePath("b.json"));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{\"copies\": ");
        }
        QCOMPARE(::rename(folder.filePath("b.json").toUtf8().constData(), broken.c_str()), 0);
        for (const QString option : {"--tta-policy", "--compare"}) {
            // QProcess would pass its arguments as UTF-8: the shell's printf writes the byte.
            QProcess gui;
            gui.setProcessChannelMode(QProcess::MergedChannels);
            gui.start("/bin/sh",
                      {"-c", "exec \"$0\" \"$1\" \"$(printf '%s/broken\\377.json' \"$2\")\"",
                       UE_GUI, option, folder.path()});
            QVERIFY(gui.waitForFinished(60000));
            const QString output = QString::fromUtf8(gui.readAll());
            QCOMPARE(gui.exitCode(), 2);
            QVERIFY2(output.contains("broken\\xff.json"), qPrintable(option + ": " + output));
            QVERIFY2(!output.contains("no such file"), qPrintable(option + ": " + output));
        }
    }

    // --help and --version print and exit with no display at all (a terminal over ssh, a
    // container): they aborted with "could not connect to display" unless QT_QPA_PLATFORM was
    // set.
    void helpAndVersionNeedNoDisplay() {
        QProcessEnvironment headless = QProcessEnvironment::systemEnvironment();
        for (const QString name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
            headless.remove(name);
        }
        const std::vector<std::pair<QString, QString>> cases = {
            {"--help", "Usage: "},
            {"-h", "Usage: "},
            {"--help-all", "--platform"},
            {"--version", "Uncertainty Explorer 0.1.0"},
            {"-v", "Uncertainty Explorer 0.1.0"}};
        for (const auto& [option, expected] : cases) {
            QProcess gui;
            gui.setProcessEnvironment(headless);
            gui.setProcessChannelMode(QProcess::MergedChannels);
            gui.start(UE_GUI, {option});
            QVERIFY(gui.waitForFinished(60000));
            const QString output = QString::fromUtf8(gui.readAll());
            QVERIFY2(gui.exitStatus() == QProcess::NormalExit, qPrintable(option + ": " + output));
            QVERIFY2(gui.exitCode() == 0, qPrintable(option + ": " + output));
            QVERIFY2(output.contains(expected), qPrintable(option + ": " + output));
            QVERIFY2(!output.contains("display"), qPrintable(option + ": " + output));
        }
    }

    // Recent files as each form of the settings file holds them: one entry or several of the
    // bytes this build writes, and the text of earlier builds.
    void recentPathsReadEveryStoredForm() {
        QTemporaryDir folder;
        QFile file(folder.filePath("settings.conf"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            "[recent]\n"
            "one=@ByteArray(/m/model\\xff.pt)\n"
            "many=@ByteArray(/m/a\\xff.pt), @ByteArray(/m/b.pt)\n"
            "oldOne=/m/c.pt\n"
            "oldMany=/m/c.pt, /m/d.pt\n");
        file.close();
        const QSettings settings(file.fileName(), QSettings::IniFormat);
        QCOMPARE(recentPathsFrom(settings.value("recent/one")),
                 QStringList{pathText("/m/model\xff.pt")});
        QCOMPARE(recentPathsFrom(settings.value("recent/many")),
                 (QStringList{pathText("/m/a\xff.pt"), "/m/b.pt"}));
        QCOMPARE(recentPathsFrom(settings.value("recent/oldOne")), QStringList{"/m/c.pt"});
        QCOMPARE(recentPathsFrom(settings.value("recent/oldMany")),
                 (QStringList{"/m/c.pt", "/m/d.pt"}));
        QCOMPARE(recentPathsFrom(settings.value("recent/none")), QStringList{});
    }

  private:
    QTemporaryDir corpus_;
    QJsonObject expected_;
    QString images_;
};

QTEST_MAIN(HostileInputsTest)
#include "HostileInputsTest.moc"
