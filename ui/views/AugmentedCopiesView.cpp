#include "views/AugmentedCopiesView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include "engine/RandomStreams.h"
#include "model/CopyOutcomes.h"
#include "model/PathText.h"
#include "plots/CopyProbabilityPlot.h"
#include "views/AugmentPolicyDialog.h"
#include "views/AugmentedCopiesGrid.h"

namespace ue::ui {
namespace {

// Tiles beyond this are not drawn (the plot still shows every copy).
constexpr int kMaxTiles = 64;

}  // namespace

AugmentedCopiesView::AugmentedCopiesView(QWidget* parent) : QWidget(parent) {
    setObjectName("augmentedCopiesView");
    auto* layout = new QVBoxLayout(this);
    auto* header = new QHBoxLayout;
    title_ = new QLabel;
    title_->setWordWrap(true);
    title_->setTextFormat(Qt::RichText);
    header->addWidget(title_, 1);
    edit_ = new QPushButton(tr("Augmentation policy…"));
    edit_->setToolTip(
        tr("Copies, transforms and their ranges, seed (also under TTA in the "
           "toolbar)"));
    header->addWidget(edit_);
    layout->addLayout(header);
    connect(edit_, &QPushButton::clicked, this, &AugmentedCopiesView::editPolicyRequested);

    auto* splitter = new QSplitter(Qt::Vertical);
    grid_ = new AugmentedCopiesGrid;
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(grid_);
    splitter->addWidget(scroll);
    plot_ = new CopyProbabilityPlot;
    plot_->setMinimumHeight(180);
    splitter->addWidget(plot_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({440, 300});
    layout->addWidget(splitter, 1);
    clear();
}

void AugmentedCopiesView::setModel(const InputSpec& spec, const QStringList& classes) {
    spec_ = spec;
    cachedKey_.clear();
    cachedCopies_.clear();
    // Only shown (captions, tooltips, the title), so kept as the window shows them.
    classes_ = shownNames(classes);
    runPolicy_ = AugmentPolicy{};
    clear();
}

void AugmentedCopiesView::setPolicy(const AugmentPolicy& policy) {
    nextPolicy_ = policy;
}

void AugmentedCopiesView::beginRun(const RunOptions& options) {
    runPolicy_ = options.augment;
}

AugmentPolicyDialog* AugmentedCopiesView::editPolicy(const RunOptions& next) {
    auto* dialog = new AugmentPolicyDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setPolicy(next.augment);
    dialog->setPassesPerCopy(next.passesPerCopy());
    if (!imagePath_.isEmpty()) {
        dialog->setPreviewImage(imagePath_, spec_, imageKey_);
    }
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { emit policyChosen(dialog->policy()); });
    dialog->open();
    return dialog;
}

void AugmentedCopiesView::clear() {
    imagePath_.clear();
    title_->setText(tr("<b>Augmented copies</b> of the selected image"));
    grid_->setMessage(tr("Select an image in the browser."));
    plot_->showMessage(
        tr("Per-copy probabilities appear after a run with test-time "
           "augmentation."));
}

void AugmentedCopiesView::showImage(const ImageEntry& entry, const ImageResult* result) {
    const QString path = pathText(entry.path);
    imagePath_ = path;
    imageKey_ = imageStreamKey(imageName(entry));
    if (!isVisible()) {
        return;  // MainWindow calls again when the tab comes to the front
    }
    const QString name = shownFileName(path).toHtmlEscaped();
    const bool fromRun = result && result->ok && runPolicy_.enabled();
    const AugmentPolicy& policy = fromRun ? runPolicy_ : nextPolicy_;
    if (!policy.enabled()) {
        title_->setText(tr("<b>%1</b> · test-time augmentation is off").arg(name));
        grid_->setMessage(
            tr("Test-time augmentation is off. Set it up with “Augmentation policy…” (or TTA in "
               "the toolbar): each image then runs as several randomly transformed copies, and "
               "this tab shows them with the class each one predicts."));
        plot_->showMessage(tr("No augmented copies"));
        return;
    }
    // Streaming results redraw the selection every 30 ms: decode and warp once per image.
    const QString key =
        path + QLatin1Char('\n') + QString::fromStdString(augmentPolicyToJson(policy));
    QString error;
    if (key != cachedKey_) {
        cachedCopies_ = augmentedPreviews(path, spec_, policy, imageKey_, kMaxTiles, &error);
        cachedKey_ = cachedCopies_.empty() ? QString() : key;
    }
    if (cachedCopies_.empty()) {
        title_->setText(tr("<b>%1</b>").arg(name));
        grid_->setMessage(error);
        plot_->showMessage(tr("No augmented copies"));
        return;
    }
    const QString described = QString::fromStdString(describe(policy)).toHtmlEscaped();
    grid_->setCopies(cachedCopies_);
    const auto outcomes =
        fromRun ? copyOutcomes(*result, policy.copies) : std::vector<CopyOutcome>{};
    if (outcomes.empty()) {
        title_->setText(fromRun ? tr("<b>%1</b> · %2 · per-copy predictions need the raw samples, "
                                     "which runs this large do not keep")
                                      .arg(name, described)
                                : tr("<b>%1</b> · preview of %2 (run to see what each copy "
                                     "predicts)")
                                      .arg(name, described));
        plot_->showMessage(fromRun ? tr("Raw samples not kept for this run")
                                   : tr("Run with this policy to see each copy's probabilities"));
        return;
    }
    const int overall = result->summary.argmaxPrediction;
    std::vector<CopyOutcome> shown(
        outcomes.begin(), outcomes.begin() + std::min<std::size_t>(outcomes.size(), kMaxTiles));
    grid_->setOutcomes(std::move(shown), classes_, overall);
    const int disagree = countDisagreeing(outcomes, overall);
    const QString trueClass =
        result->label >= 0 && result->label != overall ? classes_.value(result->label) : QString();
    plot_->setOutcomes(outcomes, classes_.value(overall), trueClass, overall);
    title_->setText(tr("<b>%1</b> · %2 · predicted <b>%3</b>; %4 of %5 copies say otherwise%6")
                        .arg(name, described, classes_.value(overall).toHtmlEscaped(),
                             QString::number(disagree), QString::number(outcomes.size()),
                             int(outcomes.size()) > kMaxTiles
                                 ? tr(" (the first %1 shown)").arg(kMaxTiles)
                                 : QString()));
}

}  // namespace ue::ui
