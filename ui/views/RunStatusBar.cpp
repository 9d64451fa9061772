#include "views/RunStatusBar.h"

#include <QLabel>
#include <QPushButton>

#include "worker/InferenceWorker.h"

namespace ue::ui {

RunStatusBar::RunStatusBar(QWidget* parent) : QStatusBar(parent) {
    model_ = new QLabel;
    stochastic_ = new QLabel;
    counts_ = new QPushButton;
    counts_->setFlat(true);
    counts_->setToolTip(tr("Click to see the inputs that failed"));
    addWidget(model_);
    addWidget(stochastic_, 1);
    addPermanentWidget(counts_);
    connect(counts_, &QPushButton::clicked, this, &RunStatusBar::errorsRequested);
    showNoModel();
}

void RunStatusBar::showLoading(const QString& fileName) {
    model_->setText(tr("Loading %1…").arg(fileName));
    stochastic_->clear();
}

void RunStatusBar::showNoModel() {
    model_->setText(tr("No model"));
    model_->setToolTip({});
    stochastic_->clear();
}

void RunStatusBar::showModel(const ModelInfo& info) {
    model_->setText(tr("Model: <b>%1</b> (%2 classes)")
                        .arg(QString::fromStdString(info.meta.name).toHtmlEscaped())
                        .arg(info.meta.classes.size()));
    model_->setToolTip(info.description);
    stochastic_->setText(
        info.stochastic
            ? tr("· stochastic: %n dropout module(s)", nullptr, int(info.dropoutModules.size()))
            : tr("· <span style='color:#c0392b'>no stochastic layer: MC passes are "
                 "identical</span>"));
}

void RunStatusBar::showCounts(int analysed, int total, int failed, bool partial) {
    counts_->setText(tr("%1 of %2 analysed · %3 failed%4")
                         .arg(analysed)
                         .arg(total)
                         .arg(failed)
                         .arg(partial ? tr(" · partial (cancelled)") : QString()));
    counts_->setEnabled(failed > 0);
}

}  // namespace ue::ui
