#include "views/InspectorView.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "metrics/Thresholds.h"
#include "model/ImageConversion.h"
#include "model/PathText.h"
#include "plots/ClassHistogramsPlot.h"
#include "plots/ClassProbabilityPlot.h"
#include "plots/UncertaintySplitBar.h"

namespace ue::ui {

namespace {
constexpr int kImageSide = 224;
}

InspectorView::InspectorView(QWidget* parent) : QWidget(parent) {
    image_ = new QLabel;
    image_->setFixedSize(kImageSide, kImageSide);
    image_->setAlignment(Qt::AlignCenter);
    image_->setStyleSheet("QLabel { background: #20252b; border-radius: 4px; color: #aab; }");
    title_ = new QLabel;
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    title_->setWordWrap(true);
    facts_ = new QTableWidget(0, 2);
    facts_->horizontalHeader()->hide();
    facts_->verticalHeader()->hide();
    facts_->horizontalHeader()->setStretchLastSection(true);
    facts_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    facts_->setSelectionMode(QAbstractItemView::NoSelection);
    facts_->setShowGrid(false);
    facts_->setFocusPolicy(Qt::NoFocus);
    facts_->verticalHeader()->setDefaultSectionSize(16);
    facts_->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    facts_->setFrameShape(QFrame::NoFrame);

    auto* side = new QVBoxLayout;
    side->addWidget(title_);
    side->addWidget(facts_, 1);
    split_ = new UncertaintySplitBar;
    split_->setFixedWidth(kImageSide);
    auto* left = new QVBoxLayout;
    left->setSpacing(4);
    left->addWidget(image_);
    left->addWidget(split_);
    left->addStretch(1);
    auto* top = new QHBoxLayout;
    top->addLayout(left);
    top->addLayout(side, 1);
    auto* topWidget = new QWidget;
    topWidget->setLayout(top);
    // Tall enough for every fact row (up to 14 with thresholds and conformal sets) unscrolled.
    topWidget->setMinimumHeight(kImageSide + 64);
    topWidget->setMaximumHeight(kImageSide + 64);

    histograms_ = new ClassHistogramsPlot;
    probabilities_ = new ClassProbabilityPlot;
    plots_ = new QStackedWidget;
    plots_->addWidget(histograms_);
    plots_->addWidget(probabilities_);
    plots_->setMinimumHeight(260);
    plots_->setMinimumWidth(360);
    facts_->setMinimumWidth(160);
    facts_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(topWidget);
    splitter->addWidget(plots_);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(splitter);
    clear();
}

QString InspectorView::className(int index) const {
    if (index == kUnclassified) {
        return tr("unclassified");
    }
    return index >= 0 && index < classes_.size() ? shownName(classes_[index]) : QString();
}

ExportablePlot* InspectorView::shownPlot() const {
    if (plots_->currentWidget() == probabilities_) {
        return probabilities_;
    }
    return histograms_;
}

void InspectorView::clear() {
    image_->setText(tr("no image"));
    title_->setText(tr("<i>Open a model and images, then run.</i>"));
    facts_->setRowCount(0);
    split_->clear();
    plots_->setCurrentWidget(histograms_);
    histograms_->showMessage(tr("Select an analysed image to see its per-class histograms."));
}

void InspectorView::setConformal(ConformalMethod method, double qhat, double alpha) {
    hasConformal_ = true;
    conformalMethod_ = method;
    qhat_ = qhat;
    alpha_ = alpha;
}

void InspectorView::showImage(const ImageEntry& entry, const ImageResult* result) {
    const QString path = pathText(entry.path);
    QString error;
    const QImage image = loadDisplayImage(path, 0, &error);
    if (image.isNull()) {
        image_->setText(tr("cannot show"));
    } else {
        // Small images (28 x 28) are scaled up without smoothing so their pixels stay visible.
        const bool small = std::max(image.width(), image.height()) < kImageSide / 2;
        image_->setPixmap(QPixmap::fromImage(
            image.scaled(kImageSide, kImageSide, Qt::KeepAspectRatio,
                         small ? Qt::FastTransformation : Qt::SmoothTransformation)));
    }
    const QString label = entry.label == kNoLabel ? tr("unlabelled") : className(entry.label);
    title_->setText(QString("<b>%1</b><br><span style='color:#667'>%2</span>")
                        .arg(shownFileName(path).toHtmlEscaped(), shownPath(path).toHtmlEscaped()));

    QList<QPair<QString, QString>> rows;
    rows << qMakePair(tr("True class"), label);
    split_->clear();
    if (!result || !result->ok) {
        plots_->setCurrentWidget(histograms_);
    }
    if (!result) {
        rows << qMakePair(tr("Status"), tr("pending"));
        histograms_->showMessage(tr("Not analysed yet."));
    } else if (!result->ok) {
        rows << qMakePair(tr("Status"), shownMessage(result->error));
        histograms_->showMessage(tr("This image failed: %1").arg(shownMessage(result->error)));
    } else {
        const ImageSummary& s = result->summary;
        const auto verdict = [&](int predicted) {
            QString text = className(predicted);
            if (entry.label != kNoLabel && predicted != kUnclassified) {
                text += predicted == entry.label ? tr("  ✓") : tr("  ✗");
            }
            return text;
        };
        rows << qMakePair(tr("Argmax rule"), verdict(s.argmaxPrediction))
             << qMakePair(tr("Median rule"), verdict(s.medianRulePrediction));
        if (!thresholds_.empty()) {
            rows << qMakePair(tr("Threshold rule"), verdict(thresholdRule(s, thresholds_)));
        }
        if (hasConformal_) {
            QStringList names;
            for (int cls : predictionSet(conformalMethod_, s.mean, qhat_)) {
                names << className(cls);
            }
            QString set = names.isEmpty() ? tr("∅ (empty)") : "{" + names.join(", ") + "}";
            if (entry.label != kNoLabel && !names.isEmpty()) {
                set += names.contains(className(entry.label)) ? tr("  ✓") : tr("  ✗");
            }
            rows << qMakePair(tr("Conformal set (%1, α %2)")
                                  .arg(QString::fromStdString(toString(conformalMethod_)).toUpper())
                                  .arg(alpha_),
                              set);
        }
        rows << qMakePair(tr("Samples"), QString::number(s.samples))
             << qMakePair(tr("Max mean probability"), QString::number(s.maxProbability, 'f', 4))
             << qMakePair(tr("Margin (top1 − top2)"), QString::number(s.margin, 'f', 4))
             << qMakePair(tr("Total: predictive entropy"),
                          QString::number(s.predictiveEntropy, 'f', 4))
             << qMakePair(tr("  aleatoric: expected entropy"),
                          QString::number(s.expectedEntropy, 'f', 4))
             << qMakePair(tr("  epistemic: mutual information"),
                          QString::number(s.mutualInformation, 'f', 4));
        if (s.hasLogitVariance) {
            rows << qMakePair(tr("Logit variance (aleatoric)"),
                              QString::number(s.logitVariance, 'f', 4));
        }
        rows << qMakePair(tr("Variation ratio"), QString::number(s.variationRatio, 'f', 4));
        split_->setSplit(s.expectedEntropy, s.mutualInformation, s.classes);
        if (ClassProbabilityPlot::suits(s)) {
            probabilities_->showSummary(s, classes_, thresholds_, entry.label);
            plots_->setCurrentWidget(probabilities_);
        } else {
            histograms_->showSummary(s, classes_, thresholds_, entry.label);
            plots_->setCurrentWidget(histograms_);
        }
    }
    facts_->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        facts_->setItem(i, 0, new QTableWidgetItem(rows[i].first));
        facts_->setItem(i, 1, new QTableWidgetItem(rows[i].second));
    }
    facts_->resizeColumnToContents(0);
}

}  // namespace ue::ui
