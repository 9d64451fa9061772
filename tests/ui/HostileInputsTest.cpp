// The generated bad-input corpus (tests/data/make_bad_inputs.py) run through the window: every
// broken file is in the error list with its message, the rest complete, nothing crashes.
#include <stdio.h>
#include <unistd.h>

#include <qcustomplot.h>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QFontMetrics>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QTimer>
#include <QWindow>
#include <QXmlStreamReader>
#include <QtTest>
#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "AppSettings.h"
#include "PlainText.h"
#include "UiTestSupport.h"
#include "metrics/ImageSummary.h"
#include "model/PathText.h"
#include "model/ResultsModel.h"
#include "plots/ClassHistogramsPlot.h"
#include "plots/PlotExport.h"
#include "views/BrowserView.h"
#include "views/InspectorView.h"
#include "views/OodView.h"
#include "views/RankingView.h"

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

    // A model's class names and image file names come from users' files: ones that look like
    // markup or hold "%1" placeholders show as written (Qt would draw "<h1>…" as a heading, and a
    // chained QString::arg puts the next value in place of a "%2" inside an earlier one).
    void markupAndPlaceholdersInNamesShowAsWritten() {
        QTemporaryDir folder;
        const QString model = folder.filePath("hostile.pt");
        const QStringList classes = {"<h1>T-shirt</h1>", "Trouser%1%2\x1b",
                                     "<img src=x width=900>"};
        QProcess python;
        python.setProcessChannelMode(QProcess::ForwardedChannels);
        python.start(UE_PYTHON,
                     {"-c",
                      "import json, sys, torch\n"
                      "extra = {'meta.json': ''}\n"
                      "m = torch.jit.load(sys.argv[1], _extra_files=extra)\n"
                      "meta = json.loads(extra['meta.json'])\n"
                      "meta['classes'][:3] = json.loads(sys.argv[3])\n"
                      "meta['name'] = '<h2>hostile</h2> %1 model [*]'\n"
                      "torch.jit.save(m, sys.argv[2], "
                      "_extra_files={'meta.json': json.dumps(meta)})\n",
                      kDemoModel, model,
                      QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(classes))
                                            .toJson(QJsonDocument::Compact))});
        QVERIFY(python.waitForFinished(120000));
        QCOMPARE(python.exitCode(), 0);
        const QString bag = UE_SOURCE_DIR "/resources/samples/fashion-mnist/Bag/";
        const QStringList names = {"<h1>BIG.png", "a%1b%2c.png", "&lt;b&gt; & <b>bold.png"};
        QVERIFY(QDir(folder.path()).mkdir("images"));
        for (const QString& name : names) {
            QVERIFY(QFile::copy(bag + "00018.png", folder.filePath("images/" + name)));
        }

        DropTarget window;
        window.resize(2400, 1400);  // room for every class name whole in the histogram titles
        window.show();
        QVERIFY(runDemoToCompletion(window, {folder.filePath("images")}, Method::McDropout, 5, 7,
                                    model));
        ResultsModel* results = window.results();
        QCOMPARE(results->failedCount(), 0);
        for (const QString& name : names) {
            const QString path = folder.filePath("images/" + name);
            const int row = results->rowOfPath(path);
            QVERIFY2(row >= 0, qPrintable(path));
            const QModelIndex cell = results->index(row, ResultsModel::ImageColumn);
            QCOMPARE(cell.data(Qt::DisplayRole).toString(), name);
            QCOMPARE(shownToolTip(cell.data(Qt::ToolTipRole).toString()), path);
        }

        window.browser()->selectSourceRow(
            results->rowOfPath(folder.filePath("images/" + names[0])));
        QStringList titles;
        for (QCPLayoutElement* element :
             window.inspector()->histograms()->plotLayout()->elements(true)) {
            if (auto* text = qobject_cast<QCPTextElement*>(element)) {
                titles << text->text();
            }
        }
        // The escape character shows as \x1b, as file names show theirs.
        const QStringList shown = {classes[0], "Trouser%1%2\\x1b", classes[2]};
        for (const QString& cls : shown) {
            QVERIFY2(std::any_of(titles.begin(), titles.end(),
                                 [&](const QString& t) { return t.startsWith(cls + "\nmedian "); }),
                     qPrintable(cls + " not among " + titles.join(" | ")));
        }
        QCOMPARE(window.results()->className(1), shown[1]);

        // An SVG of these panels is well-formed XML: its title is the file's name with "&", "<"
        // and a control character in it, its text holds the class names (the control
        // character in one drawn as \x1b).
        const QString svg = folder.filePath("R&D <plots>\x1b.svg");
        QCOMPARE(exportPlot(*window.inspector()->histograms(), svg, 800, 500), QString());
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&svgFile);
        QString svgTitle;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"title") {
                svgTitle = xml.readElementText();
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(svgTitle, "R&D <plots>\\x1b");

        window.ood()->setOutInputs({folder.filePath("<h1>ood & more")});
        QVERIFY(labelShowing(window, "OOD set: <h1>ood & more"));

        const auto* modelLabel = labelShowing(window, "Model:");
        QVERIFY(modelLabel);
        QCOMPARE(shownText(*modelLabel), "Model: <h2>hostile</h2> %1 model [*] (10 classes)");
        QVERIFY2(window.windowHandle()->title().contains(" — <h2>hostile</h2> %1 model [*] — "),
                 qPrintable(window.windowHandle()->title()));

        const auto* grid = window.ranking()->findChild<QListWidget*>();
        QVERIFY(grid);
        QCOMPARE(grid->count(), int(names.size()));
        for (int i = 0; i < grid->count(); ++i) {
            const QString tip = shownToolTip(grid->item(i)->toolTip());
            QVERIFY2(
                std::any_of(names.begin(), names.end(),
                            [&](const QString& name) {
                                return tip.startsWith(folder.filePath("images/" + name) + "\n");
                            }),
                qPrintable(tip));
        }
    }

    // A model's class name can be long (ImageNet's "great white shark, white shark, man-eater,
    // ..."): its histogram title is cut to its column's share of the width, so the other
    // columns keep room for their numbers, and it is whole again when the plot is wide.
    void aLongClassNameIsCutToItsPanel() {
        constexpr int kClasses = 10;
        std::vector<float> probs(3 * kClasses, 0.01f);
        probs[0] = probs[kClasses] = probs[2 * kClasses] = 0.91f;
        const ImageSummary summary = summarizeSamples(probs.data(), 3, kClasses);
        QStringList classes;
        for (int c = 0; c < kClasses; ++c) {
            classes << QString("class %1").arg(c);
        }
        classes[3] =
            "great white shark, white shark, man-eater, man-eating shark, Carcharodon "
            "carcharias";
        ClassHistogramsPlot plot;
        plot.resize(700, 400);
        plot.show();
        plot.showSummary(summary, classes);
        const auto firstLine = [&](int panel) { return plot.titleOf(panel).section('\n', 0, 0); };
        QVERIFY2(firstLine(3).endsWith(QChar(0x2026)), qPrintable(firstLine(3)));
        QVERIFY(classes[3].startsWith(firstLine(3).chopped(1)));
        QFont titleFont(plot.font().family(), 8);
        QVERIFY(QFontMetrics(titleFont).horizontalAdvance(firstLine(3)) <= 700 / 5);
        QCOMPARE(firstLine(4), "class 4");
        QVERIFY(plot.titleOf(4).endsWith("\nmedian 0.01 · mean 0.01"));
        // Narrower, the numbers' line shortens its words rather than lose a digit off its ends
        // (at 550 px the full line was wider than its panel).
        plot.resize(550, 400);
        QTRY_VERIFY(plot.titleOf(4).endsWith("\nmed 0.01 · μ 0.01"));
        QVERIFY(QFontMetrics(titleFont).horizontalAdvance("median 0.01 · mean 0.01") > 550 / 5);
        QVERIFY(QFontMetrics(titleFont).horizontalAdvance("med 0.01 · μ 0.01") <= 550 / 5);
        plot.resize(4000, 400);
        QTRY_COMPARE(firstLine(3), classes[3]);
        QVERIFY(plot.titleOf(4).endsWith("\nmedian 0.01 · mean 0.01"));
    }

    // The helpers that the names above go through, on what Qt would take for markup.
    void plainTextHelpersKeepTextLiteral() {
        for (const QString& text :
             {QString("<h1>big</h1>"), QString("a &lt; b\nline two"), QString("plain %1 text"),
              QString("<b>x</b>\n<i>y</i>  two  spaces"), QString("<img src=x>")}) {
            QCOMPARE(shownToolTip(plainToolTip(text)), text);
            std::unique_ptr<QLabel> label(plainLabel(text));
            QCOMPARE(shownText(*label), text);
        }
        QString boxText;
        Qt::TextFormat boxFormat = Qt::AutoText;
        QTimer::singleShot(0, [&] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                boxText = box->text();
                boxFormat = box->textFormat();
                box->accept();
            }
        });
        warnPlainly(nullptr, "Export failed", "<h1>R&D.png: disk full");
        QCOMPARE(boxText, "<h1>R&D.png: disk full");
        QCOMPARE(boxFormat, Qt::PlainText);
    }

  private:
    QTemporaryDir corpus_;
    QJsonObject expected_;
    QString images_;
};

QTEST_MAIN(HostileInputsTest)
#include "HostileInputsTest.moc"
