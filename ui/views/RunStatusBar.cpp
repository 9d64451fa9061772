#include "views/RunStatusBar.h"

#include <QLabel>
#include <QPushButton>

#include "PlainText.h"
#include "model/PathText.h"
#include "plots/PlotPalette.h"
#include "worker/InferenceWorker.h"

namespace ue::ui {

RunStatusBar::RunStatusBar(QWidget* parent) : QStatusBar(parent) {
    // Both are rich text (bold, colour); what they quote from files is escaped.
    model_ = new QLabel;
    model_->setTextFormat(Qt::RichText);
    stochastic_ = new QLabel;
    stochastic_->setTextFormat(Qt::RichText);
    counts_ = new QPushButton;
    counts_->setFlat(true);
    counts_->setToolTip(tr("Click to see the inputs that failed"));
    // Clipped rather than holding the window wider than a small screen (a minimum width of 0
    // would mean the whole text); the tooltip and the window title say it whole.
    for (QLabel* label : {model_, stochastic_}) {
        label->setMinimumWidth(1);
    }
    addWidget(model_);
    addWidget(stochastic_, 1);
    addPermanentWidget(counts_);
    connect(counts_, &QPushButton::clicked, this, &RunStatusBar::errorsRequested);
    showNoModel();
}

void RunStatusBar::showLoading(const QString& fileName) {
    model_->setText(tr("Loading %1…").arg(shownPath(fileName).toHtmlEscaped()));
    stochasticText_.clear();
    passesAreIdentical_ = false;
    showStochastic();
}

void RunStatusBar::showNoModel() {
    model_->setText(tr("No model"));
    model_->setToolTip({});
    stochasticText_.clear();
    passesAreIdentical_ = false;
    showStochastic();
}

void RunStatusBar::showModel(const ModelInfo& info) {
    model_->setText(tr("Model: <b>%1</b> (%2 classes)")
                        .arg(shownMessage(info.meta.name).toHtmlEscaped(),
                             QString::number(info.meta.classes.size())));
    model_->setToolTip(plainToolTip(info.description));
    stochasticText_.clear();
    passesAreIdentical_ = false;
    if (info.stochasticForward) {
        stochasticText_ = tr("· stochastic forward (no dropout)");
    } else if (info.stochastic) {
        stochasticText_ =
            tr("· stochastic: %n dropout module(s)", nullptr, int(info.dropoutModules.size()));
    } else if (info.members <= 1) {
        passesAreIdentical_ = true;
    }
    if (info.members > 1 || info.meta.output == OutputKind::LogitsLogvar) {
        // The kind says it all for ensembles and heteroscedastic heads.
        passesAreIdentical_ = false;
        stochasticText_ =
            tr("· %1").arg(info.kind.toHtmlEscaped()) +
            (info.members > 1 && !info.stochastic ? tr(" (deterministic members)") : QString());
    }
    showStochastic();
}

void RunStatusBar::setMethod(Method method) {
    method_ = method;
    showStochastic();
}

void RunStatusBar::showStochastic() {
    if (!passesAreIdentical_) {
        stochastic_->setText(stochasticText_);
    } else if (method_ == Method::McDropout) {
        stochastic_->setText(tr("· <span style='color:%1'>no stochastic layer: MC passes are "
                                "identical</span>")
                                 .arg(kWarningColour.name()));
    } else {
        stochastic_->setText(tr("· no stochastic layer"));
    }
}

void RunStatusBar::showCounts(int analysed, int total, int failed, int skipped, bool partial) {
    // Skipped entries (missing inputs, broken links, pipes) are not among the images counted in
    // `total`, so they are counted apart: "6 of 10 analysed · 8 failed" would not add up.
    QString text = tr("%1 of %2 analysed · %3 failed").arg(analysed).arg(total).arg(failed);
    if (skipped > 0) {
        text += tr(" · %1 skipped").arg(skipped);
    }
    if (partial) {
        text += tr(" · partial (cancelled)");
    }
    counts_->setText(text);
    counts_->setEnabled(failed + skipped > 0);
}

}  // namespace ue::ui
