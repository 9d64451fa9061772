#include "views/RunToolbar.h"
#include "PlainText.h"

#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QSpinBox>
#include <QStyle>
#include <thread>

namespace ue::ui {

RunToolbar::RunToolbar(QWidget* parent) : QToolBar(tr("Run"), parent) {
    setObjectName("runToolbar");
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    openModel_ = addAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("Open model…"));
    openModel_->setShortcut(QKeySequence(tr("Ctrl+M")));
    openImages_ = addAction(style()->standardIcon(QStyle::SP_DirOpenIcon), tr("Open images…"));
    openImages_->setShortcut(QKeySequence::Open);
    addSeparator();

    addWidget(new QLabel(tr(" Method ")));
    method_ = new QComboBox;
    method_->addItem(tr("MC dropout"), int(Method::McDropout));
    method_->addItem(tr("Deterministic"), int(Method::Deterministic));
    method_->setToolTip(
        tr("MC dropout: T passes with only the Dropout modules active.\n"
           "Deterministic: one eval-mode pass."));
    addWidget(method_);
    addWidget(new QLabel(tr("  T ")));
    samples_ = new QSpinBox;
    samples_->setRange(1, 100000);
    samples_->setValue(100);
    samples_->setToolTip(tr("Monte Carlo passes per image"));
    addWidget(samples_);
    logitSamplesLabel_ = addWidget(new QLabel(tr("  K ")));
    logitSamples_ = new QSpinBox;
    logitSamples_->setObjectName("logitSamples");
    logitSamples_->setRange(1, 10000);
    logitSamples_->setValue(10);
    logitSamples_->setToolTip(
        tr("Logit draws per pass (heteroscedastic model): each pass draws K logit vectors "
           "mu + sigma * eps and averages their softmax."));
    logitSamplesSpin_ = addWidget(logitSamples_);
    setHeteroscedastic(false);
    addWidget(new QLabel(tr("  Seed ")));
    seed_ = new QSpinBox;
    seed_->setRange(0, 2147483647);
    addWidget(seed_);
    addWidget(new QLabel(tr("  Device ")));
    device_ = new QComboBox;
    for (const auto& name : availableDevices()) {
        const int cores = inferenceThreads();
        const auto label = name != "cpu" ? tr("GPU %1").arg(QString::fromStdString(name))
                           : cores == 1  ? tr("CPU (1 core)")
                                         : tr("CPU (%1 cores)").arg(cores);
        device_->addItem(label, QString::fromStdString(name));
    }
    if (device_->count() > 1) {
        device_->setCurrentIndex(1);  // a GPU, when there is one, is what the user wants
        device_->setToolTip(tr("Where the forward passes run."));
    } else {
        device_->setToolTip(
            cudaBuiltIn()
                ? tr("LibTorch has CUDA, but no GPU is visible (driver, CUDA_VISIBLE_DEVICES).")
                : tr("This build's LibTorch is CPU-only. To use a GPU, build against a CUDA "
                     "LibTorch: cmake -DCMAKE_PREFIX_PATH=/path/to/libtorch"));
    }
    addWidget(device_);
    precision_ = new QComboBox;
    precision_->addItem(tr("fp32"), int(Precision::Float32));
    precision_->addItem(tr("bf16"), int(Precision::BFloat16));
    precision_->addItem(tr("fp16"), int(Precision::Float16));
    precision_->setToolTip(
        tr("Arithmetic of the forward passes. bf16/fp16 run under CUDA autocast: faster on "
           "large models, probabilities within about 1e-2 of fp32 on the demo model."));
    addWidget(precision_);
    const auto updatePrecision = [this] {
        const bool gpu = isCudaDevice(device_->currentData().toString().toStdString());
        precision_->setEnabled(gpu);
        if (!gpu) {
            precision_->setCurrentIndex(0);
        }
    };
    connect(device_, &QComboBox::currentIndexChanged, this, updatePrecision);
    updatePrecision();
    connect(method_, &QComboBox::currentIndexChanged, this, [this] {
        const Method method = Method(method_->currentData().toInt());
        samples_->setEnabled(method == Method::McDropout);
        emit methodChanged(method);
    });
    addSeparator();
    augment_ = addAction(tr("TTA: off"));
    augment_->setObjectName("augmentAction");
    augment_->setCheckable(true);
    connect(augment_, &QAction::triggered, this, [this] {
        augment_->setChecked(augmentPolicy_.enabled());  // the dialog decides, not the click
        emit augmentationRequested();
    });
    setAugmentPolicy(augmentPolicy_);
    addSeparator();

    run_ = addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Run"));
    run_->setShortcut(QKeySequence(tr("Ctrl+R")));
    cancel_ = addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("Cancel"));
    cancel_->setShortcut(QKeySequence(tr("Esc")));
    cancel_->setEnabled(false);
    connect(run_, &QAction::triggered, this, &RunToolbar::runRequested);
    connect(cancel_, &QAction::triggered, this, &RunToolbar::cancelRequested);

    progress_ = new QProgressBar;
    progress_->setMaximumWidth(220);
    progress_->setTextVisible(true);
    progress_->setValue(0);
    addWidget(progress_);
    rate_ = plainLabel();
    rate_->setMinimumWidth(180);
    addWidget(rate_);
    setCanRun(false);
}

int RunToolbar::inferenceThreads() {
    // Every core. With images side by side, two threads on two cores ran 5,400 demo images
    // (T = 300) about 30 % faster than one, and the GUI thread's longest gap between 5 ms
    // ticks, waits for a core included, stayed 14-18 ms against 13-19 ms: leaving it a core
    // of its own bought nothing.
    return int(std::max(1u, std::thread::hardware_concurrency()));
}

RunOptions RunToolbar::options() const {
    RunOptions options;
    options.threads = inferenceThreads();
    options.method = Method(method_->currentData().toInt());
    options.samples = samples_->value();
    options.logitSamples = logitSamples_->value();
    options.seed = std::uint64_t(seed_->value());
    options.device = device_->currentData().toString().toStdString();
    options.precision = Precision(precision_->currentData().toInt());
    options.augment = augmentPolicy_;
    return options;
}

void RunToolbar::setAugmentPolicy(const AugmentPolicy& policy) {
    augmentPolicy_ = policy;
    augment_->setChecked(policy.enabled());
    augment_->setText(policy.enabled() ? tr("TTA ×%1").arg(policy.copies) : tr("TTA: off"));
    augment_->setToolTip(tr("Test-time augmentation: %1.\nClick to change the policy.")
                             .arg(QString::fromStdString(describe(policy))));
}

void RunToolbar::setOptions(Method method, int samples, std::uint64_t seed) {
    method_->setCurrentIndex(method_->findData(int(method)));
    samples_->setValue(samples);
    seed_->setValue(int(std::min<std::uint64_t>(seed, 2147483647)));
}

void RunToolbar::setHeteroscedastic(bool heteroscedastic) {
    logitSamplesLabel_->setVisible(heteroscedastic);
    logitSamplesSpin_->setVisible(heteroscedastic);
}

bool RunToolbar::showsLogitSamples() const {
    return logitSamplesSpin_->isVisible();
}

void RunToolbar::setCanRun(bool canRun) {
    run_->setEnabled(canRun && !cancel_->isEnabled());
}

void RunToolbar::setRunning(bool running) {
    cancel_->setEnabled(running);
    run_->setEnabled(!running);
    if (running) {
        progress_->setValue(0);
        lastRate_ = 0;
        rate_->setText(tr(" starting…"));
    }
}

void RunToolbar::showProgress(const RunProgress& p) {
    progress_->setMaximum(int(p.total));
    progress_->setValue(int(p.done));
    lastRate_ = p.imagesPerSecond;
    rate_->setText(tr(" %1 img/s · %2 s left")
                       .arg(p.imagesPerSecond, 0, 'f', 1)
                       .arg(p.secondsLeft, 0, 'f', 0));
}

void RunToolbar::showEnded(bool cancelled) {
    // No rate seen: nothing ran (every method failed to load, or it was cancelled at once).
    const bool ran = lastRate_ > 0;
    if (!cancelled && ran) {
        progress_->setValue(progress_->maximum());
    }
    const QString state = cancelled ? tr(" cancelled (partial)") : tr(" done");
    rate_->setText(ran ? state + tr(" · %1 img/s").arg(lastRate_, 0, 'f', 1) : state);
}

void RunToolbar::showFinished(const RunReport& r) {
    progress_->setMaximum(std::max<int>(1, int(r.total)));
    progress_->setValue(int(r.succeeded + r.failed));
    const double rate = r.seconds > 0 ? (r.succeeded + r.failed) / r.seconds : 0.0;
    rate_->setText((r.cancelled ? tr(" cancelled (partial) · ") : tr(" done · ")) +
                   tr("%1 img/s on %2").arg(rate, 0, 'f', 1).arg(QString::fromStdString(r.device)));
}

}  // namespace ue::ui
