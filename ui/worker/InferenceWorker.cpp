#include "worker/InferenceWorker.h"

#include <chrono>

#include "Error.h"
#include "io/SummaryReport.h"

namespace ue::ui {

void InferenceWorker::loadModel(const QString& path) {
    try {
        auto bundle = std::make_unique<ModelBundle>(ModelBundle::load(path.toStdString()));
        ModelInfo info;
        info.path = path;
        info.meta = bundle->meta();
        for (const auto& name : bundle->dropoutModules()) {
            info.dropoutModules << QString::fromStdString(name);
        }
        info.stochastic = bundle->stochasticity().passesDiffer;
        info.encodeHeadUsable = bundle->encodeHeadUsable();
        info.description = QString::fromStdString(formatModelInfo(*bundle));
        bundle_ = std::move(bundle);
        emit modelLoaded(info);
    } catch (const std::exception& e) {
        emit modelFailed(QString::fromStdString(e.what()));
    }
}

void InferenceWorker::run(const QStringList& inputs, const RunOptions& options) {
    if (!bundle_) {
        emit runFailed(tr("Open a model first."));
        return;
    }
    std::vector<std::string> paths;
    for (const auto& input : inputs) {
        paths.push_back(input.toStdString());
    }
    const ScanResult scan = scanInputs(paths, bundle_->meta().classes);
    QStringList problems;
    for (const auto& problem : scan.problems) {
        problems << QString::fromStdString(problem);
    }
    emit imagesListed(ImageListing::make(scan.images), problems);
    if (scan.images.empty()) {
        emit runFailed(tr("No images found in the chosen files and folders."));
        return;
    }

    RunOptions runOptions = options;
    constexpr double kRawSampleBudgetBytes = 256.0 * (1 << 20);
    const double rawBytes = double(scan.images.size()) * std::max(options.samples, 1) *
                            bundle_->meta().classes.size() * sizeof(float);
    if (rawBytes > kRawSampleBudgetBytes) {
        runOptions.keepRawSamples = false;  // summaries only: memory must not grow with T x N
    }

    using Clock = std::chrono::steady_clock;
    ResultBatch pending;
    auto lastFlush = Clock::now();
    const auto flush = [&] {
        if (!pending.isEmpty()) {
            emit resultsReady(pending);
            pending.clear();
        }
        lastFlush = Clock::now();
    };
    try {
        McEngine engine(*bundle_);
        const RunReport report = engine.run(
            scan.images, runOptions,
            [&](ImageResult&& result) { pending.push_back(std::move(result)); },
            [&](const RunProgress& progress) {
                if (Clock::now() - lastFlush >= std::chrono::milliseconds(30) ||
                    progress.done == progress.total) {
                    flush();
                    emit progressed(progress);
                }
            },
            &cancel_);
        flush();
        emit runFinished(report);
    } catch (const std::exception& e) {
        flush();
        emit runFailed(QString::fromStdString(e.what()));
    }
}

InferenceSession::InferenceSession(QObject* parent)
    : QObject(parent), worker_(new InferenceWorker) {
    registerMetatypes();
    qRegisterMetaType<ModelInfo>();
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &InferenceWorker::modelLoaded, this, [this] { hasModel_ = true; });
    connect(worker_, &InferenceWorker::runFinished, this, [this] { setRunning(false); });
    connect(worker_, &InferenceWorker::runFailed, this, [this] { setRunning(false); });
    thread_.setObjectName("inference");
    thread_.start();
}

InferenceSession::~InferenceSession() {
    worker_->requestCancel();
    thread_.quit();
    thread_.wait();
}

void InferenceSession::loadModel(const QString& path) {
    hasModel_ = false;
    QMetaObject::invokeMethod(worker_, "loadModel", Qt::QueuedConnection, Q_ARG(QString, path));
}

void InferenceSession::run(const QStringList& inputs, const RunOptions& options) {
    setRunning(true);
    worker_->clearCancel();
    QMetaObject::invokeMethod(worker_, "run", Qt::QueuedConnection, Q_ARG(QStringList, inputs),
                              Q_ARG(ue::RunOptions, options));
}

void InferenceSession::cancel() {
    worker_->requestCancel();
}

void InferenceSession::setRunning(bool running) {
    if (running_ != running) {
        running_ = running;
        emit runningChanged(running);
    }
}

}  // namespace ue::ui
