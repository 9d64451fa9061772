#include "views/MethodDialog.h"
#include "PlainText.h"
#include "io/SmallTextFile.h"
#include "model/PathText.h"
#include "plots/PlotPalette.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <functional>

namespace ue::ui {

namespace {
QWidget* withBrowse(QLineEdit* edit, const std::function<void()>& browse) {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto* button = new QPushButton(QObject::tr("Browse…"));
    QObject::connect(button, &QPushButton::clicked, row, browse);
    layout->addWidget(button);
    return row;
}
}  // namespace

MethodDialog::MethodDialog(const MethodSpec& spec, QWidget* parent) : QDialog(parent), spec_(spec) {
    setWindowTitle(tr("Method"));
    label_ = new QLineEdit(QString::fromStdString(spec.label));
    model_ = new QLineEdit(pathText(spec.model));
    model_->setToolTip(tr("A model bundle (.pt) or an ensemble manifest (.json)"));
    method_ = new QComboBox;
    method_->addItem(tr("MC dropout / stochastic passes"), int(Method::McDropout));
    method_->addItem(tr("Deterministic (one pass; one per ensemble member)"),
                     int(Method::Deterministic));
    method_->setCurrentIndex(method_->findData(int(spec.options.method)));
    samples_ = new QSpinBox;
    samples_->setRange(1, 100000);
    samples_->setValue(spec.options.samples);
    samples_->setToolTip(tr("T: Monte Carlo passes per image (MC dropout only)"));
    logitSamples_ = new QSpinBox;
    logitSamples_->setRange(1, 100000);
    logitSamples_->setValue(spec.options.logitSamples);
    logitSamples_->setToolTip(
        tr("K: logits drawn per pass from a heteroscedastic model's predicted variance; "
           "ignored by other models"));
    seed_ = new QSpinBox;
    seed_->setRange(0, 2147483647);
    seed_->setValue(int(std::min<std::uint64_t>(spec.options.seed, 2147483647)));
    policyFile_ = new QLineEdit(pathText(spec.augmentFile));
    policyFile_->setPlaceholderText(tr("none"));
    policy_ = plainLabel();
    policy_->setWordWrap(true);
    error_ = plainLabel();
    error_->setStyleSheet("color: " + kWarningColour.name());
    error_->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Label"), label_);
    form->addRow(tr("Model"), withBrowse(model_, [this] {
                     const QString path = QFileDialog::getOpenFileName(
                         this, tr("Model or ensemble manifest"), model_->text(),
                         tr("Models (*.pt *.pth *.ts *.json);;All files (*)"));
                     if (!path.isEmpty()) {
                         model_->setText(path);
                         if (label_->text().isEmpty()) {
                             label_->setText(QFileInfo(path).completeBaseName());
                         }
                     }
                 }));
    form->addRow(tr("Method"), method_);
    form->addRow(tr("T (passes)"), samples_);
    form->addRow(tr("K (logit draws)"), logitSamples_);
    form->addRow(tr("Seed"), seed_);
    form->addRow(tr("TTA policy"), withBrowse(policyFile_, [this] {
                     const QString path = QFileDialog::getOpenFileName(
                         this, tr("Augmentation policy"), policyFile_->text(), tr("JSON (*.json)"));
                     if (!path.isEmpty()) {
                         policyFile_->setText(path);
                     }
                 }));
    form->addRow(QString(), policy_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &MethodDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &MethodDialog::reject);
    connect(policyFile_, &QLineEdit::textChanged, this, &MethodDialog::describePolicy);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(error_);
    layout->addWidget(buttons);
    describePolicy();
    resize(520, sizeHint().height());
}

void MethodDialog::describePolicy() {
    const QString file = policyFile_->text().trimmed();
    if (file.isEmpty()) {
        // A policy without a file came from the toolbar: it stays unless a file replaces it.
        policy_->setText(spec_.augmentFile.empty() && spec_.options.augment.enabled()
                             ? tr("The toolbar's policy: %1")
                                   .arg(QString::fromStdString(describe(spec_.options.augment)))
                             : tr("No test-time augmentation."));
        return;
    }
    try {
        policy_->setText(QString::fromStdString(describe(loadAugmentPolicy(pathBytes(file)))));
    } catch (const std::exception& e) {
        policy_->setText(shownMessage(e.what()));
    }
}

void MethodDialog::accept() {
    MethodSpec spec = spec_;
    spec.label = label_->text().trimmed().toStdString();
    spec.model = pathBytes(model_->text().trimmed());
    spec.options.method = Method(method_->currentData().toInt());
    spec.options.samples = samples_->value();
    spec.options.logitSamples = logitSamples_->value();
    spec.options.seed = std::uint64_t(seed_->value());
    const QString file = policyFile_->text().trimmed();
    if (spec.label.empty() || spec.model.empty()) {
        error_->setText(spec.label.empty() ? tr("Give the method a label.")
                                           : tr("Choose a model file."));
        return;
    }
    if (checkRegularFile(spec.model).problem == RegularFileCheck::Problem::Missing) {
        error_->setText(tr("%1 does not exist.").arg(shownPath(model_->text().trimmed())));
        return;
    }
    if (!file.isEmpty()) {
        try {
            spec.augmentFile = pathBytes(file);
            spec.options.augment = loadAugmentPolicy(spec.augmentFile);
        } catch (const std::exception& e) {
            error_->setText(shownMessage(e.what()));
            return;
        }
    } else if (!spec_.augmentFile.empty()) {
        spec.augmentFile.clear();  // the file was removed: no augmentation
        spec.options.augment = AugmentPolicy{};
    }
    spec_ = spec;
    QDialog::accept();
}

}  // namespace ue::ui
