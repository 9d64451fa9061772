#include "views/ThresholdsView.h"

#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>
#include <cmath>

#include "Error.h"
#include "PlainText.h"
#include "StdStrings.h"
#include "model/PathText.h"
#include "plots/ThresholdSweepPlot.h"
#include "views/ThresholdStudyTable.h"

namespace ue::ui {

QTableWidget* ThresholdsView::table() const {
    return studyPanel_->table();
}

ThresholdsView::ThresholdsView(ResultsModel* results, QWidget* parent)
    : QWidget(parent), studyPanel_(new ThresholdStudyPanel(results, this)) {
    setObjectName("thresholdsView");
    buildLayout();
    connectControls();
    refresh();
}

void ThresholdsView::buildLayout() {
    sourceLabel_ = plainLabel();
    sourceLabel_->setObjectName("thresholdSource");
    sourceLabel_->setWordWrap(true);
    choose_ = new QPushButton(tr("Choose…"));
    choose_->setToolTip(tr("A labelled folder (class-named subfolders) not in the test set"));
    run_ = new QPushButton(tr("Run validation set"));
    auto* sourceRow = new QHBoxLayout;
    sourceRow->addWidget(choose_);
    sourceRow->addWidget(run_);
    sourceRow->addStretch(1);

    slider_ = new QSlider(Qt::Horizontal);
    slider_->setRange(0, int(kMaxPercentile) * kPercentileSteps);
    slider_->setValue(10 * kPercentileSteps);
    percentile_ = new QDoubleSpinBox;
    percentile_->setRange(0, kMaxPercentile);
    percentile_->setDecimals(1);
    percentile_->setSingleStep(0.5);
    percentile_->setValue(10);
    percentile_->setPrefix("q = ");
    auto* qRow = new QHBoxLayout;
    qRow->addWidget(new QLabel(tr("Percentile")));
    qRow->addWidget(slider_, 1);
    qRow->addWidget(percentile_);

    load_ = new QPushButton(tr("Load…"));
    save_ = new QPushButton(tr("Save…"));
    export_ = new QPushButton(tr("Export CSV…"));
    load_->setToolTip(tr("Load per-class thresholds (JSON) made for this model"));
    save_->setToolTip(tr("Save the thresholds as JSON (for uncertainty-cli analyze --thresholds)"));
    export_->setToolTip(tr("The per-class table as CSV (as analyze --threshold-report)"));
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(load_);
    fileRow->addWidget(save_);
    fileRow->addWidget(export_);
    fileRow->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(sourceLabel_);
    layout->addLayout(sourceRow);
    layout->addLayout(qRow);
    layout->addLayout(fileRow);
    layout->addWidget(studyPanel_, 1);
}

void ThresholdsView::connectControls() {
    connect(choose_, &QPushButton::clicked, this, &ThresholdsView::chooseFolder);
    connect(run_, &QPushButton::clicked, this, [this] { emit runRequested(validationInputs_); });
    connect(slider_, &QSlider::valueChanged, this,
            [this](int value) { setPercentile(double(value) / kPercentileSteps); });
    connect(percentile_, &QDoubleSpinBox::valueChanged, this, &ThresholdsView::setPercentile);
    connect(studyPanel_->sweep(), &ThresholdSweepPlot::percentileClicked, this, [this](double q) {
        setPercentile(std::round(q * kPercentileSteps) / kPercentileSteps);
    });
    connect(load_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load per-class thresholds"),
                                                          QString(), tr("Thresholds (*.json)"));
        if (!path.isEmpty()) {
            if (const QString error = loadJson(path); !error.isEmpty()) {
                warnPlainly(this, tr("Cannot load thresholds"), error);
            }
        }
    });
    auto saveWith = [this](const QString& title, const QString& name, const QString& filter,
                           QString (ThresholdsView::*write)(const QString&) const) {
        const QString path = QFileDialog::getSaveFileName(this, title, name, filter);
        if (!path.isEmpty()) {
            if (const QString error = (this->*write)(path); !error.isEmpty()) {
                warnPlainly(this, tr("Cannot save"), error);
            }
        }
    };
    connect(save_, &QPushButton::clicked, this, [saveWith, this] {
        saveWith(tr("Save per-class thresholds"), "thresholds.json", tr("JSON (*.json)"),
                 &ThresholdsView::saveJson);
    });
    connect(export_, &QPushButton::clicked, this, [saveWith, this] {
        saveWith(tr("Export the threshold study"), "threshold-study.csv", tr("CSV (*.csv)"),
                 &ThresholdsView::writeStudyCsv);
    });
}

void ThresholdsView::chooseFolder() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Labelled validation images"));
    if (!folder.isEmpty()) {
        setValidationInputs({folder});
    }
}

void ThresholdsView::setModel(const QString& name, const QStringList& classes) {
    modelName_ = name;
    classes_ = classes;
    studyPanel_->setClasses(classes);
    collector_ = ThresholdCollector(std::size_t(classes.size()));
    validationImages_ = 0;
    studyPanel_->clearValidationImages();
    source_ = ThresholdSource::None;
    current_ = ClassThresholds{};
    refresh();
    emit thresholdsChanged({});
}

void ThresholdsView::setValidationInputs(const QStringList& inputs) {
    validationInputs_ = inputs;
    updateControls();
}

void ThresholdsView::begin(const RunOptions& options) {
    collector_ = ThresholdCollector(std::size_t(classes_.size()));
    validationImages_ = 0;
    studyPanel_->clearValidationImages();
    validationMethod_ = toString(options.method);
    validationSamples_ = options.passesPerCopy();
    validationAugmentation_ = options.augment;
    validationSeed_ = options.seed;
    thresholdsModel_ = modelName_.toStdString();
    source_ = ThresholdSource::Validation;
    updateControls();
}

void ThresholdsView::addValidationResults(const ResultBatch& batch) {
    for (const ImageResult& result : batch) {
        if (result.ok && result.label != kNoLabel) {
            collector_.add(result.summary, result.label);
            studyPanel_->addValidationImage(result.path);
            ++validationImages_;
        }
    }
}

void ThresholdsView::finish(const RunReport& report) {
    if (validationImages_ == 0) {
        // Nothing labelled came back: the thresholds of an earlier set must not linger.
        source_ = ThresholdSource::None;
        current_ = ClassThresholds{};
        emit thresholdsChanged({});
    }
    studyPanel_->recountValidationImages();
    recomputeThresholds();
    updateSweep();
    studyPanel_->showStudy(current_);
    updateControls();
    if (report.cancelled) {
        sourceLabel_->setText(sourceLabel_->text() + tr(" (cancelled: partial)"));
    }
}

void ThresholdsView::setRunning(bool running) {
    running_ = running;
    updateControls();
}

void ThresholdsView::refresh() {
    studyPanel_->judgeRun();
    updateSweep();
    studyPanel_->showStudy(current_);
    updateControls();
}

double ThresholdsView::percentile() const {
    return percentile_->value();
}

void ThresholdsView::setPercentile(double percentile) {
    {
        const QSignalBlocker blockSpin(percentile_), blockSlider(slider_);
        percentile_->setValue(percentile);
        slider_->setValue(int(std::lround(percentile * kPercentileSteps)));
    }
    if (source_ != ThresholdSource::Validation) {
        return;  // file thresholds have a fixed q
    }
    recomputeThresholds();
    studyPanel_->showStudy(current_);
    studyPanel_->sweep()->markPercentile(percentile_->value());
}

void ThresholdsView::recomputeThresholds() {
    if (source_ != ThresholdSource::Validation) {
        return;
    }
    current_ = collector_.compute(percentile_->value());
    emit thresholdsChanged(current_.thresholds);
}

void ThresholdsView::updateSweep() {
    studyPanel_->showSweep(source_, collector_, percentile_->value());
}

void ThresholdsView::updateControls() {
    QString source;
    switch (source_) {
        case ThresholdSource::None:
            source =
                tr("Validation set: %1")
                    .arg(validationInputs_.isEmpty() ? tr("none chosen")
                                                     : shownFileName(validationInputs_.front()));
            break;
        case ThresholdSource::Validation:
            source =
                tr("Thresholds from %1 validation images (%2)")
                    .arg(validationImages_)
                    .arg(validationInputs_.isEmpty() ? QString()
                                                     : shownFileName(validationInputs_.front()));
            break;
        case ThresholdSource::File:
            source = tr("Thresholds from %1 (q = %2)")
                         .arg(shownFileName(sourceFile_), QString::number(current_.percentile));
            break;
    }
    if (source_ != ThresholdSource::None && validationAugmentation_.enabled()) {
        source +=
            tr(", means over %1").arg(QString::fromStdString(describe(validationAugmentation_)));
    }
    sourceLabel_->setText(source);
    sourceLabel_->setToolTip(plainToolTip(shownPath(validationInputs_.join("\n"))));
    choose_->setEnabled(!running_);
    run_->setEnabled(!running_ && !validationInputs_.isEmpty() && !classes_.isEmpty());
    const bool tunable = source_ == ThresholdSource::Validation && !running_;
    slider_->setEnabled(tunable);
    percentile_->setEnabled(tunable);
    load_->setEnabled(!classes_.isEmpty() && !running_);
    save_->setEnabled(!current_.thresholds.empty() && !running_);
    export_->setEnabled(!current_.thresholds.empty() && studyPanel_->study().overall.images > 0);
}

QString ThresholdsView::loadJson(const QString& path) {
    if (classes_.isEmpty()) {
        return tr("Open the model the thresholds were computed for first.");
    }
    try {
        const ThresholdsFile file = loadThresholds(pathBytes(path), toStdStrings(classes_));
        current_ = file.values;
        validationMethod_ = file.method;
        validationSamples_ = file.samples;
        validationAugmentation_ = file.augmentation;
        validationSeed_ = file.seed;
        thresholdsModel_ = file.model;
    } catch (const std::exception& e) {
        return shownMessage(e.what());
    }
    source_ = ThresholdSource::File;
    sourceFile_ = path;
    studyPanel_->clearValidationImages();  // the file does not say which images set them
    {
        const QSignalBlocker blockSpin(percentile_), blockSlider(slider_);
        percentile_->setValue(current_.percentile);
        slider_->setValue(int(std::lround(current_.percentile * kPercentileSteps)));
    }
    updateSweep();
    studyPanel_->showStudy(current_);
    updateControls();
    emit thresholdsChanged(current_.thresholds);
    return {};
}

ThresholdsFile ThresholdsView::currentFile() const {
    ThresholdsFile file;
    file.model = thresholdsModel_;
    file.method = validationMethod_;
    file.samples = validationSamples_;
    file.augmentation = validationAugmentation_;
    file.seed = validationSeed_;  // as the CLI records it: a run can be traced to its seed
    file.classes = toStdStrings(classes_);
    file.values = current_;
    return file;
}

std::vector<std::string> ThresholdsView::differencesFrom(const ThresholdsRun& run) const {
    return thresholdsRunDifferences(currentFile(), run);
}

QString ThresholdsView::saveJson(const QString& path) const {
    if (current_.thresholds.empty()) {
        return tr("There are no thresholds to save yet.");
    }
    ThresholdsFile file = currentFile();
    file.model = modelName_.toStdString();
    try {
        saveThresholds(file, pathBytes(path));
    } catch (const std::exception& e) {
        return shownMessage(e.what());
    }
    return {};
}

}  // namespace ue::ui
