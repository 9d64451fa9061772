#include "views/AugmentPolicyDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include "PlainText.h"
#include "model/PathText.h"
#include "views/AugmentedCopiesGrid.h"
#include "views/ResultsExport.h"

namespace ue::ui {
namespace {

constexpr int kPreviewCopies = 24;

}  // namespace

AugmentPolicyDialog::AugmentPolicyDialog(QWidget* parent) : QDialog(parent) {
    setObjectName("augmentPolicyDialog");
    setWindowTitle(tr("Test-time augmentation"));
    auto* layout = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    layout->addLayout(left);

    auto* intro = new QLabel(
        tr("Each image runs as several randomly transformed copies; its histograms and scores "
           "then cover every copy's passes. Spread from augmentation works on any model, "
           "also one without dropout."));
    intro->setWordWrap(true);
    intro->setMaximumWidth(360);
    left->addWidget(intro);
    presets_ = new QComboBox;
    presets_->addItem(tr("Preset…"), QString());
    presets_->addItem(tr("Off"), QStringLiteral("off"));
    presets_->addItem(tr("Light: ±5 % shift, ±5°, brightness"), QStringLiteral("light"));
    presets_->addItem(tr("Moderate: + zoom, contrast, noise"), QStringLiteral("moderate"));
    // Mirroring is not label-preserving for every data set (Fashion-MNIST's shoes all face
    // left), so only the strong preset, which is meant to break things, mirrors.
    presets_->addItem(tr("Strong: wider ranges, mirror, gamma"), QStringLiteral("strong"));
    left->addWidget(presets_);
    connect(presets_, &QComboBox::activated, this, [this](int index) {
        const QString name = presets_->itemData(index).toString();
        if (!name.isEmpty()) {
            applyPreset(name);
        }
        presets_->setCurrentIndex(0);
    });

    form_ = new QFormLayout;
    left->addLayout(form_);
    copies_ = new QSpinBox;
    copies_->setRange(0, kMaxAugmentCopies);
    copies_->setSpecialValueText(tr("off"));
    copies_->setToolTip(
        tr("Augmented copies per image; each runs T passes (1 when deterministic)"));
    form_->addRow(tr("Copies"), copies_);
    includeOriginal_ = new QCheckBox(tr("Copy 1 is the image untouched"));
    form_->addRow(QString(), includeOriginal_);
    flip_ = addRange(tr("Mirror"), 1, 0.1, 4, QString(), tr("Probability of a horizontal mirror"));
    shift_ = addRange(tr("Shift"), 0.5, 0.01, 4, QString(),
                      tr("Largest shift as a fraction of the width and height, each axis uniform"));
    rotation_ = addRange(tr("Rotation"), 180, 1, 3, tr("°"), tr("Largest rotation either way"));
    scale_ =
        addRange(tr("Zoom"), 0.9, 0.05, 4, QString(), tr("Zoom factor uniform in [1 − s, 1 + s]"));
    brightness_ = addRange(tr("Brightness"), 1, 0.01, 4, QString(),
                           tr("Added to the [0,1] pixel values, uniform in [−b, b]"));
    contrast_ = addRange(tr("Contrast"), 1, 0.05, 4, QString(),
                         tr("Factor around the image's mean, uniform in [1 − c, 1 + c]"));
    gamma_ = addRange(tr("Gamma jitter"), 4, 0.05, 4, QString(),
                      tr("x → x^γ with γ log-uniform in [1/(1 + j), 1 + j]"));
    noise_ = addRange(tr("Noise σ"), 1, 0.01, 4, QString(), tr("Gaussian noise on [0,1] pixels"));
    border_ = new QComboBox;
    border_->addItem(tr("reflect"), int(AugmentBorder::Reflect));
    border_->addItem(tr("replicate"), int(AugmentBorder::Replicate));
    border_->addItem(tr("zero"), int(AugmentBorder::Zero));
    border_->setToolTip(tr("What fills the pixels a shift, rotation or zoom uncovers"));
    form_->addRow(tr("Border"), border_);
    seed_ = new QSpinBox;
    seed_->setRange(0, 2147483647);
    seed_->setToolTip(tr("Same seed, same copies (independent of batching and threads)"));
    form_->addRow(tr("Seed"), seed_);
    connect(copies_, &QSpinBox::valueChanged, this, &AugmentPolicyDialog::policyEdited);
    connect(seed_, &QSpinBox::valueChanged, this, &AugmentPolicyDialog::policyEdited);
    connect(includeOriginal_, &QCheckBox::toggled, this, &AugmentPolicyDialog::policyEdited);
    connect(border_, &QComboBox::currentIndexChanged, this, &AugmentPolicyDialog::policyEdited);

    summary_ = new QLabel;
    summary_->setWordWrap(true);
    summary_->setMaximumWidth(360);
    left->addWidget(summary_);
    auto* files = new QHBoxLayout;
    auto* load = new QPushButton(tr("Load…"));
    auto* save = new QPushButton(tr("Save…"));
    files->addWidget(load);
    files->addWidget(save);
    files->addStretch();
    left->addLayout(files);
    connect(load, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load augmentation policy"),
                                                          QString(), tr("JSON (*.json)"));
        if (!path.isEmpty()) {
            if (const QString error = loadJson(path); !error.isEmpty()) {
                warnPlainly(this, tr("Load augmentation policy"), error);
            }
        }
    });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Save augmentation policy"),
                                         QStringLiteral("tta-policy.json"), tr("JSON (*.json)"));
        if (!path.isEmpty()) {
            if (const QString error = saveJson(path); !error.isEmpty()) {
                warnPlainly(this, tr("Save augmentation policy"), error);
            }
        }
    });
    left->addStretch();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    left->addWidget(buttons);

    auto* right = new QVBoxLayout;
    auto* previewTitle = new QLabel(tr("<b>Preview</b>: the copies of the selected image"));
    right->addWidget(previewTitle);
    preview_ = new AugmentedCopiesGrid;
    preview_->setTileSide(72);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(preview_);
    scroll->setMinimumWidth(4 * 80 + 24);
    right->addWidget(scroll, 1);
    layout->addLayout(right, 1);
    setLayout(layout);
    resize(960, 600);

    previewTimer_.setSingleShot(true);
    previewTimer_.setInterval(120);
    connect(&previewTimer_, &QTimer::timeout, this, &AugmentPolicyDialog::refreshPreview);
    policyEdited();
}

QDoubleSpinBox* AugmentPolicyDialog::addRange(const QString& label, double maximum, double step,
                                              int decimals, const QString& suffix,
                                              const QString& help) {
    auto* box = new QDoubleSpinBox;
    box->setRange(0, maximum);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    box->setSuffix(suffix);
    box->setSpecialValueText(tr("off"));
    box->setToolTip(help);
    form_->addRow(label, box);
    connect(box, &QDoubleSpinBox::valueChanged, this, &AugmentPolicyDialog::policyEdited);
    return box;
}

void AugmentPolicyDialog::setPolicy(const AugmentPolicy& p) {
    const QSignalBlocker blockCopies(copies_);
    copies_->setValue(p.copies);
    includeOriginal_->setChecked(p.includeOriginal);
    flip_->setValue(p.flipProbability);
    shift_->setValue(p.maxShift);
    rotation_->setValue(p.maxRotationDegrees);
    scale_->setValue(p.maxScale);
    brightness_->setValue(p.brightness);
    contrast_->setValue(p.contrast);
    gamma_->setValue(p.gamma);
    noise_->setValue(p.noiseStd);
    border_->setCurrentIndex(border_->findData(int(p.border)));
    // The spin box holds 31 bits; a larger seed from a file is kept until the box is edited.
    fullSeed_ = p.seed;
    seed_->setValue(int(std::min<std::uint64_t>(p.seed, 2147483647)));
    policyEdited();
}

AugmentPolicy AugmentPolicyDialog::policy() const {
    AugmentPolicy p;
    p.copies = copies_->value();
    p.includeOriginal = includeOriginal_->isChecked();
    p.flipProbability = flip_->value();
    p.maxShift = shift_->value();
    p.maxRotationDegrees = rotation_->value();
    p.maxScale = scale_->value();
    p.brightness = brightness_->value();
    p.contrast = contrast_->value();
    p.gamma = gamma_->value();
    p.noiseStd = noise_->value();
    p.border = AugmentBorder(border_->currentData().toInt());
    const int shown = int(std::min<std::uint64_t>(fullSeed_, 2147483647));
    p.seed = seed_->value() == shown ? fullSeed_ : std::uint64_t(seed_->value());
    return p;
}

void AugmentPolicyDialog::applyPreset(const QString& name) {
    AugmentPolicy p;
    p.seed = policy().seed;
    if (name == "light") {
        p.copies = 16;
        p.maxShift = 0.05;
        p.maxRotationDegrees = 5;
        p.brightness = 0.05;
    } else if (name == "moderate") {
        p.copies = 32;
        p.maxShift = 0.1;
        p.maxRotationDegrees = 10;
        p.maxScale = 0.1;
        p.brightness = 0.1;
        p.contrast = 0.2;
        p.noiseStd = 0.02;
    } else if (name == "strong") {
        p.copies = 64;
        p.flipProbability = 0.5;
        p.maxShift = 0.15;
        p.maxRotationDegrees = 20;
        p.maxScale = 0.2;
        p.brightness = 0.2;
        p.contrast = 0.4;
        p.gamma = 0.5;
        p.noiseStd = 0.05;
    }
    setPolicy(p);
}

void AugmentPolicyDialog::setPreviewImage(const QString& path, const InputSpec& spec,
                                          std::uint64_t imageKey) {
    previewPath_ = path;
    previewSpec_ = spec;
    previewKey_ = imageKey;
    refreshPreview();
}

void AugmentPolicyDialog::setPassesPerCopy(int passes) {
    passesPerCopy_ = std::max(1, passes);
    policyEdited();
}

void AugmentPolicyDialog::policyEdited() {
    const AugmentPolicy p = policy();
    const bool on = p.enabled();
    for (QWidget* field :
         std::initializer_list<QWidget*>{includeOriginal_, flip_, shift_, rotation_, scale_,
                                         brightness_, contrast_, gamma_, noise_, border_, seed_}) {
        field->setEnabled(on);
    }
    if (on) {
        summary_->setText(tr("%1.<br>Each image costs %2 forward passes (%3 copies × %4).")
                              .arg(QString::fromStdString(describe(p)).toHtmlEscaped())
                              .arg(qlonglong(p.copies) * passesPerCopy_)
                              .arg(p.copies)
                              .arg(passesPerCopy_));
    } else {
        summary_->setText(tr("Off: every image runs once as it is (T passes under MC dropout)."));
    }
    previewTimer_.start();
}

void AugmentPolicyDialog::refreshPreview() {
    previewTimer_.stop();
    const AugmentPolicy p = policy();
    if (previewPath_.isEmpty()) {
        preview_->setMessage(tr("Select an image in the browser to preview its copies."));
        return;
    }
    if (!p.enabled()) {
        preview_->setMessage(tr("Set the number of copies to see them here."));
        return;
    }
    QString error;
    auto copies =
        augmentedPreviews(previewPath_, previewSpec_, p, previewKey_, kPreviewCopies, &error);
    if (copies.empty()) {
        preview_->setMessage(error);
        return;
    }
    preview_->setCopies(std::move(copies));
}

QString AugmentPolicyDialog::loadJson(const QString& path) {
    try {
        setPolicy(loadAugmentPolicy(pathBytes(path)));
    } catch (const std::exception& e) {
        return shownMessage(e.what());
    }
    return {};
}

QString AugmentPolicyDialog::saveJson(const QString& path) const {
    return writeAtomically(
        path, [&](std::ostream& out) { out << augmentPolicyToJson(policy()) << "\n"; });
}

}  // namespace ue::ui
