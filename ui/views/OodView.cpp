#include "views/OodView.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "PlainText.h"
#include "model/PathText.h"
#include "model/ResultsModel.h"
#include "plots/RocPlot.h"
#include "views/ResultsExport.h"
#include "views/ScoreBox.h"

namespace ue::ui {

OodView::OodView(ResultsModel* results, QWidget* parent) : QWidget(parent), results_(results) {
    setObjectName("oodView");
    source_ = plainLabel(tr("OOD set: none"));
    source_->setWordWrap(true);
    choose_ = new QPushButton(tr("Choose…"));
    run_ = new QPushButton(tr("Run OOD set"));
    run_->setEnabled(false);
    export_ = new QPushButton(tr("Export CSV…"));
    export_->setEnabled(false);
    status_ = plainLabel();
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(choose_);
    buttons->addWidget(run_);
    buttons->addWidget(export_);
    score_ = new QComboBox;
    fillScoreBox(score_, scores_, Score::MutualInformation);
    auto* scoreRow = new QHBoxLayout;
    scoreRow->addWidget(new QLabel(tr("Histograms of")));
    scoreRow->addWidget(score_, 1);

    table_ = new QTableWidget(0, 4);
    table_->setHorizontalHeaderLabels({tr("score"), tr("AUROC"), tr("AUPR"), tr("FPR@95")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(20);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setMaximumHeight(190);
    roc_ = new RocPlot;
    histograms_ = new ScoreHistogramsPlot;
    // Readable heights: in a short window the page scrolls rather than squeeze the histograms
    // to a few pixels under their own legend.
    roc_->setMinimumHeight(220);
    histograms_->setMinimumHeight(170);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(source_);
    layout->addLayout(buttons);
    layout->addWidget(status_);
    layout->addWidget(table_);
    layout->addWidget(roc_, 3);
    layout->addLayout(scoreRow);
    layout->addWidget(histograms_, 2);

    connect(choose_, &QPushButton::clicked, this, &OodView::chooseFolder);
    connect(run_, &QPushButton::clicked, this, [this] { emit runRequested(outInputs_); });
    connect(score_, &QComboBox::currentIndexChanged, this, &OodView::refresh);
    connect(score_, &QComboBox::activated, this, [this] { userChoseScore_ = true; });
    connect(table_, &QTableWidget::cellClicked, this, [this](int row) {
        if (row >= 0 && row < int(detections_.size())) {
            userChoseScore_ = true;
            chooseScore(detections_[std::size_t(row)].score);
        }
    });
    connect(export_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export OOD report"), "ood.csv",
                                                          tr("CSV (*.csv)"));
        if (!path.isEmpty()) {
            if (const QString error = writeReportCsv(path); !error.isEmpty()) {
                warnPlainly(this, tr("Export failed"), error);
            }
        }
    });
}

void OodView::chooseFolder() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Out-of-distribution images"));
    if (!folder.isEmpty()) {
        setOutInputs({folder});
    }
}

void OodView::setOutInputs(const QStringList& inputs) {
    outInputs_ = inputs;
    source_->setText(
        tr("OOD set: %1").arg(inputs.isEmpty() ? tr("none") : shownFileName(inputs.front())));
    source_->setToolTip(plainToolTip(shownPath(inputs.join("\n"))));
    run_->setEnabled(!inputs.isEmpty());
}

void OodView::begin() {
    outSummaries_.clear();
    status_->setText(tr("running the OOD set…"));
    refresh();
}

void OodView::clearOutResults() {
    outSummaries_.clear();
    status_->clear();
    refresh();
}

void OodView::addOutResults(const ResultBatch& batch) {
    for (const ImageResult& result : batch) {
        if (result.ok) {
            outSummaries_.push_back(result.summary);
        }
    }
}

void OodView::finish(const RunReport& report) {
    status_->setText((report.cancelled ? tr("cancelled (partial): ") : QString()) +
                     tr("%1 OOD images analysed").arg(outSummaries_.size()));
    refresh();
    // The best score first (a deterministic model's mutual information, the default, is 0 for
    // every image and tells nothing).
    if (!userChoseScore_ && !detections_.empty()) {
        chooseScore(detections_.front().score);
    }
}

void OodView::setScores(const std::vector<Score>& scores) {
    scores_ = scores;
    fillScoreBox(score_, scores_, Score::MutualInformation);
    refresh();
}

void OodView::chooseScore(Score score) {
    score_->setCurrentIndex(score_->findData(int(score)));
}

Score OodView::chosenScore() const {
    return Score(score_->currentData().toInt());
}

void OodView::setRunning(bool running) {
    choose_->setEnabled(!running);
    run_->setEnabled(!running && !outInputs_.isEmpty());
    export_->setEnabled(!running && !detections_.empty());
}

void OodView::refresh() {
    accumulator_ = OodAccumulator();
    for (int row = 0; row < results_->rowCount(); ++row) {
        if (const ImageResult* result = results_->result(row); result && result->ok) {
            accumulator_.addIn(result->summary);
        }
    }
    for (const ImageSummary& summary : outSummaries_) {
        accumulator_.addOut(summary);
    }
    detections_.clear();
    table_->setRowCount(0);
    if (accumulator_.inCount() == 0 || accumulator_.outCount() == 0) {
        roc_->showMessage(accumulator_.inCount() == 0 ? tr("Run the in-distribution images first")
                                                      : tr("Choose and run an OOD set"));
        histograms_->showMessage(accumulator_.inCount() == 0
                                     ? tr("Run the in-distribution images first")
                                     : tr("Choose and run an OOD set to compare its scores "
                                          "with these images'."));
        export_->setEnabled(false);
        return;
    }
    detections_ = accumulator_.results(scores_);
    table_->setRowCount(int(detections_.size()));
    for (int row = 0; row < int(detections_.size()); ++row) {
        const OodDetection& d = detections_[std::size_t(row)];
        const QStringList cells = {
            QString::fromStdString(scoreName(d.score)), QString::number(d.auroc, 'f', 4),
            QString::number(d.aupr, 'f', 4), QString::number(d.fprAt95Tpr, 'f', 4)};
        // One threshold only (the ROC's two ends): every image, in or out, has the same value.
        const bool constant = d.roc.size() <= 2;
        for (int column = 0; column < 4; ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setForeground(constant      ? palette().color(QPalette::Disabled, QPalette::Text)
                                : column == 0 ? scoreColor(d.score)
                                              : palette().text().color());
            if (constant) {
                item->setToolTip(
                    tr("The same value for every image, in or out: this score cannot tell the "
                       "sets apart (passes that never differ, as a deterministic model's, give "
                       "every image a mutual information of 0)."));
            }
            table_->setItem(row, column, item);
        }
    }
    const Score chosen = chosenScore();
    roc_->setCurves(detections_, chosen);
    // Histograms in the score's own units (margin and max probability un-negated).
    const double sign = higherIsMoreUncertain(chosen) ? 1.0 : -1.0;
    std::vector<double> in = accumulator_.inValues(chosen), out = accumulator_.outValues(chosen);
    for (double& v : in) {
        v *= sign;
    }
    for (double& v : out) {
        v *= sign;
    }
    histograms_->setValues(in, out, QString::fromStdString(scoreName(chosen)));
    export_->setEnabled(run_->isEnabled());
}

QString OodView::writeReportCsv(const QString& path) const {
    return writeAtomically(path, [&](std::ostream& out) { writeOodReportCsv(out, detections_); });
}

}  // namespace ue::ui
