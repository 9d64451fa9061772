// Text from users' files in the window: class names, model names and image names that look
// like markup, hold "%1" placeholders or run long show as written and fit where they are drawn.
#include <stdio.h>
#include <unistd.h>

#include <qcustomplot.h>
#include <QApplication>
#include <QDir>
#include <QFontMetrics>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageBox>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
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

class UntrustedTextTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

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
};

QTEST_MAIN(UntrustedTextTest)
#include "UntrustedTextTest.moc"
