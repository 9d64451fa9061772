#include "views/ComparisonView.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "PlainText.h"
#include "io/ComparisonCsv.h"
#include "model/PathText.h"
#include "plots/GroupBoxPlot.h"
#include "plots/MethodHistogramsPlot.h"
#include "plots/MethodSpreadPlot.h"
#include "views/AdaptiveSplitter.h"
#include "views/ComparisonTable.h"
#include "views/MethodListEditor.h"
#include "views/ResultsExport.h"

namespace ue::ui {

ComparisonView::ComparisonView(QWidget* parent) : QWidget(parent) {
    setObjectName("comparisonView");
    methods_ = new MethodListEditor;
    ood_ = plainLabel();
    chooseOod_ = new QPushButton(tr("Choose OOD…"));
    clearOod_ = new QPushButton(tr("No OOD"));
    run_ = new QPushButton(tr("Run comparison"));
    run_->setObjectName("runComparison");
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->setEnabled(false);
    export_ = new QPushButton(tr("Export CSV…"));
    export_->setEnabled(false);
    status_ = plainLabel();
    // The OOD set's name on a line of its own: beside the buttons it held the tab 250 px wider.
    auto* controls = new QHBoxLayout;
    for (QPushButton* button : {chooseOod_, clearOod_}) {
        controls->addWidget(button);
    }
    controls->addStretch(1);
    for (QPushButton* button : {run_, cancel_, export_}) {
        controls->addWidget(button);
    }
    table_ = new ComparisonTable;

    score_ = new QComboBox;
    for (ComparisonScore score : allComparisonScores()) {
        score_->addItem(QString::fromStdString(comparisonScoreName(score)), int(score));
    }
    set_ = new QComboBox;
    set_->addItem(tr("in-distribution images"), false);
    set_->addItem(tr("OOD images"), true);
    distribution_ = new GroupBoxPlot;
    distribution_->setExportName("methods-distribution");
    // Method labels are long and there may be several: slanted, they do not overlap.
    distribution_->xAxis->setTickLabelRotation(-35);
    imagePlot_ = new MethodSpreadPlot;
    imageHistograms_ = new MethodHistogramsPlot;
    imageStyle_ = new QComboBox;
    imageStyle_->addItem(tr("spread per method (boxes)"));
    imageStyle_->addItem(tr("histograms per method"));
    // One panel per class: below this they were a few pixels each (the page scrolls instead).
    imageHistograms_->setMinimumHeight(300);
    auto* imagePlots = new QStackedWidget;
    imagePlots->addWidget(imagePlot_);
    imagePlots->addWidget(imageHistograms_);
    connect(imageStyle_, &QComboBox::currentIndexChanged, imagePlots,
            &QStackedWidget::setCurrentIndex);
    auto* imageRow = new QHBoxLayout;
    imageRow->addWidget(new QLabel(tr("Selected image:")));
    imageRow->addWidget(imageStyle_, 1);
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(imageRow);
    rightLayout->addWidget(imagePlots, 1);
    auto* scoreRow = new QHBoxLayout;
    scoreRow->addWidget(new QLabel(tr("Distribution of")));
    scoreRow->addWidget(score_, 1);
    scoreRow->addWidget(new QLabel(tr("over the")));
    scoreRow->addWidget(set_);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(scoreRow);
    leftLayout->addWidget(distribution_, 1);
    // The combo boxes may shrink (their text elided): at full width the row above the
    // distribution plot held that half of the tab at about two thirds of it.
    for (QComboBox* combo : {score_, set_, imageStyle_}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(10);
    }
    // Side by side the two plots need about 720 px; between the window's docks at 1500 px the
    // tab had 690 and scrolled sideways. Stacked, the page scrolls down anyway, so each plot
    // gets the height its one-panel-per-class histograms need to be read.
    plots_ = new AdaptiveSplitter(/*sideBySideWidth=*/900, /*stackedPaneHeight=*/420);
    plots_->addWidget(left);
    plots_->addWidget(right);
    plots_->setStretchFactor(0, 1);
    plots_->setStretchFactor(1, 1);
    // Halves to start with: from the size hints alone the selected image's plot got a third.
    plots_->setSizes({1000, 1000});

    auto* top = new QWidget;
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(methods_, 1);
    topLayout->addLayout(controls);
    topLayout->addWidget(ood_);
    topLayout->addWidget(status_);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(top);
    splitter->addWidget(table_);
    splitter->addWidget(plots_);
    // Lists and table as tall as six methods need; the plots take the rest.
    methods_->setMaximumHeight(150);
    table_->setMaximumHeight(200);
    // Six methods' rows whole even when the stacked plots below take the page's height.
    table_->setMinimumHeight(170);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 0);
    splitter->setStretchFactor(2, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    refreshTimer_.setSingleShot(true);
    refreshTimer_.setInterval(250);  // a running comparison redraws at most 4 times a second
    connect(&refreshTimer_, &QTimer::timeout, this, &ComparisonView::refresh);
    connect(run_, &QPushButton::clicked, this, &ComparisonView::requestRun);
    connect(cancel_, &QPushButton::clicked, this, &ComparisonView::cancelRequested);
    connect(chooseOod_, &QPushButton::clicked, this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Out-of-distribution images"));
        if (!folder.isEmpty()) {
            setOodInputs({folder});
        }
    });
    connect(clearOod_, &QPushButton::clicked, this, [this] { setOodInputs({}); });
    connect(export_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export comparison"),
                                                          "comparison.csv", tr("CSV (*.csv)"));
        if (!path.isEmpty()) {
            if (const QString error = writeCsv(path); !error.isEmpty()) {
                warnPlainly(this, tr("Export failed"), error);
            }
        }
    });
    connect(score_, &QComboBox::currentIndexChanged, this, &ComparisonView::drawDistribution);
    connect(set_, &QComboBox::currentIndexChanged, this, &ComparisonView::drawDistribution);
    connect(methods_, &MethodListEditor::methodsChanged, this,
            [this] { run_->setEnabled(!running_ && !methods_->methods().isEmpty()); });
    setOodInputs({});
    setRunning(false);
    distribution_->showMessage(tr("Add methods and run the comparison"));
}

void ComparisonView::setOodInputs(const QStringList& inputs) {
    oodInputs_ = inputs;
    ood_->setText(inputs.isEmpty() ? tr("OOD set: the OOD tab's folder, if it has one")
                                   : tr("OOD set: %1").arg(shownFileName(inputs.front())));
    ood_->setToolTip(plainToolTip(shownPath(inputs.join("\n"))));
}

void ComparisonView::requestRun() {
    const MethodList& methods = methods_->methods();
    if (methods.isEmpty()) {
        status_->setText(tr("Add methods to compare first."));
        return;
    }
    QStringList ood =
        !oodInputs_.isEmpty() ? oodInputs_ : (oodFallback_ ? oodFallback_() : QStringList());
    if (ood.isEmpty() && QApplication::platformName() != "offscreen") {
        const auto answer = QMessageBox::question(
            this, tr("No out-of-distribution set"),
            tr("Without an out-of-distribution folder the OOD AUROC columns stay empty. Choose "
               "one now?"),
            QMessageBox::Yes | QMessageBox::No);
        if (answer == QMessageBox::Yes) {
            const QString folder =
                QFileDialog::getExistingDirectory(this, tr("Out-of-distribution images"));
            if (!folder.isEmpty()) {
                setOodInputs({folder});
                ood = oodInputs_;
            }
        }
    }
    runOod_ = ood;
    emit runRequested(methods, ood);
}

void ComparisonView::begin(const MethodList& methods) {
    data_.begin(methods);
    status_->setText(tr("running %1 methods…").arg(methods.size()));
    methods_->showStates(data_);
    refresh();
}

void ComparisonView::setClasses(const QStringList& classes) {
    data_.setClasses(classes);
}

void ComparisonView::addResults(int method, bool outOfDistribution, const ResultBatch& batch) {
    data_.add(method, outOfDistribution, batch);
    scheduleRefresh();
}

void ComparisonView::finishMethod(int method, double seconds, bool cancelled) {
    data_.finishMethod(method, seconds, cancelled);
    methods_->showStates(data_);
    scheduleRefresh();
}

void ComparisonView::failMethod(int method, const QString& error) {
    data_.failMethod(method, error);
    methods_->showStates(data_);
}

void ComparisonView::finish(bool cancelled) {
    int failed = 0;
    for (int m = 0; m < data_.methodCount(); ++m) {
        failed += data_.method(m).state == ComparisonData::State::Failed ? 1 : 0;
    }
    const std::size_t ran = data_.rowMethods().size();
    status_->setText((cancelled ? tr("cancelled (partial): ") : QString()) +
                     tr("%1 of %2 methods compared").arg(ran).arg(data_.methodCount()) +
                     (failed > 0 ? tr(", %1 failed (see the list)").arg(failed) : QString()) +
                     (runOod_.isEmpty() ? tr("; no OOD set")
                                        : tr("; OOD set: %1").arg(shownFileName(runOod_.front()))));
    methods_->showStates(data_);
    refresh();
    emit comparisonFinished();
}

void ComparisonView::setRunning(bool running) {
    running_ = running;
    methods_->setRunning(running);
    run_->setEnabled(!running && !methods_->methods().isEmpty());
    cancel_->setEnabled(running);
    chooseOod_->setEnabled(!running);
    clearOod_->setEnabled(!running);
    export_->setEnabled(!running && !data_.rowMethods().empty());
}

void ComparisonView::scheduleRefresh() {
    if (!refreshTimer_.isActive()) {
        refreshTimer_.start();
    }
}

void ComparisonView::refresh() {
    table_->setRows(data_.rows());
    drawDistribution();
    drawImage();
    export_->setEnabled(!running_ && !data_.rowMethods().empty());
}

void ComparisonView::drawDistribution() {
    const auto score = ComparisonScore(score_->currentData().toInt());
    const bool out = set_->currentData().toBool();
    std::vector<GroupBoxPlot::Box> boxes;
    for (int m : data_.rowMethods()) {
        std::vector<double> values = data_.method(m).accumulator.values(score, out);
        GroupBoxPlot::Box box;
        box.name = QString::fromStdString(data_.method(m).accumulator.spec().label);
        box.count = values.size();
        if (!values.empty()) {
            std::sort(values.begin(), values.end());
            box.q10 = quantileSorted(values, 0.10);
            box.q25 = quantileSorted(values, 0.25);
            box.median = quantileSorted(values, 0.5);
            box.q75 = quantileSorted(values, 0.75);
            box.q90 = quantileSorted(values, 0.90);
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            box.mean = sum / double(values.size());
        }
        boxes.push_back(box);
    }
    if (boxes.empty()) {
        distribution_->showMessage(tr("Add methods and run the comparison"));
        return;
    }
    const QString name = score_->currentText();
    // Short: the panel is narrow, and the axis label already explains the boxes.
    distribution_->setBoxes(boxes, name, tr("%1 per method, %2").arg(name, set_->currentText()));
}

void ComparisonView::showImage(const QString& path, const QString& trueClass) {
    imagePath_ = path;
    imageClass_ = trueClass;
    // The browser's selection changes during every main run: a hidden tab draws when shown.
    imageDirty_ = !isVisible();
    if (!imageDirty_) {
        drawImage();
    }
}

void ComparisonView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (imageDirty_) {
        imageDirty_ = false;
        drawImage();
    }
}

void ComparisonView::drawImage() {
    if (imagePath_.isEmpty() || data_.methodCount() == 0) {
        imagePlot_->showMessage(tr("Select an image the comparison analysed."));
        imageHistograms_->showMessage(tr("Select an image the comparison analysed."));
        return;
    }
    std::vector<MethodSpreadPlot::Entry> entries;
    for (int m : data_.rowMethods()) {
        entries.push_back({QString::fromStdString(data_.method(m).accumulator.spec().label),
                           data_.summary(m, imagePath_)});
    }
    QString title = shownFileName(imagePath_);
    if (!imageClass_.isEmpty()) {
        title += tr(" (true class: %1)").arg(imageClass_);
    }
    // Two lines: one did not fit the plot's half of the tab.
    imagePlot_->showImage(title + tr("\neach class's probability, per method"), entries,
                          data_.classes());
    imageHistograms_->showImage(title + tr("\neach class's histogram, per method"), entries,
                                data_.classes());
}

QString ComparisonView::writeCsv(const QString& path) const {
    const auto rows = data_.rows();
    return writeAtomically(path, [&](std::ostream& out) { writeComparisonCsv(out, rows); });
}

}  // namespace ue::ui
