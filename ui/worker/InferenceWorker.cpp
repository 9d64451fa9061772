#include "worker/InferenceWorker.h"

#include <chrono>
#include <functional>

#include "Error.h"
#include "StdStrings.h"
#include "io/SummaryReport.h"
#include "model/PathText.h"

namespace ue::ui {

void InferenceWorker::loadModel(const QString& path) {
    try {
        auto bundle = std::make_unique<ModelBundle>(ModelBundle::load(pathBytes(path)));
        ModelInfo info;
        info.path = path;
        info.meta = bundle->meta();
        info.dropoutModules = toQStrings(bundle->dropoutModules());
        info.stochastic = bundle->stochasticity().passesDiffer;
        info.stochasticForward = bundle->hasStochasticForward();
        info.members = int(bundle->memberPaths().size());
        info.kind = QString::fromStdString(describeModelKind(*bundle));
        info.encodeHeadUsable = bundle->encodeHeadUsable();
        info.description = QString::fromStdString(formatModelInfo(*bundle));
        bundle_ = std::move(bundle);
        emit modelLoaded(info);
    } catch (const std::exception& e) {
        emit modelFailed(shownMessage(e.what()));
    }
}

namespace {

// Collects results and hands them to `emitBatch` at most every 30 ms (and at the end), so a
// fast run does not flood the GUI's event loop.
template <class Batch>
class Batcher {
  public:
    template <class Emit>
    explicit Batcher(Emit emitBatch) : emit_(std::move(emitBatch)) {}
    void add(typename Batch::value_type&& item) { pending_.push_back(std::move(item)); }
    // True when a batch went out (the caller then also reports progress).
    bool flushIfDue(bool force) {
        if (!force && Clock::now() - last_ < std::chrono::milliseconds(30)) {
            return false;
        }
        if (!pending_.isEmpty()) {
            emit_(pending_);
            pending_.clear();
        }
        last_ = Clock::now();
        return true;
    }

  private:
    using Clock = std::chrono::steady_clock;
    std::function<void(const Batch&)> emit_;
    Batch pending_;
    Clock::time_point last_ = Clock::now();
};

}  // namespace

bool InferenceWorker::scan(const QStringList& inputs, ScanResult& result, bool announce) {
    if (!bundle_) {
        emit runFailed(tr("Open a model first."));
        return false;
    }
    std::vector<std::string> paths;
    for (const auto& input : inputs) {
        paths.push_back(pathBytes(input));
    }
    result = scanInputs(paths, bundle_->meta().classes);
    if (announce) {
        QStringList problems;
        for (const auto& problem : result.problems) {
            problems << shownMessage(problem);
        }
        emit imagesListed(ImageListing::make(result.images), problems);
    }
    if (result.images.empty()) {
        emit runFailed(tr("No images found in the chosen files and folders."));
        return false;
    }
    return true;
}

template <class EmitBatch>
bool InferenceWorker::runEngine(const std::vector<ImageEntry>& images, const RunOptions& options,
                                EmitBatch emitBatch, RunReport& report) {
    Batcher<ResultBatch> batcher(emitBatch);
    try {
        McEngine engine(*bundle_);
        report = engine.run(
            images, options, [&](ImageResult&& r) { batcher.add(std::move(r)); },
            [&](const RunProgress& progress) {
                if (batcher.flushIfDue(progress.done == progress.total)) {
                    emit progressed(progress);
                }
            },
            &cancel_);
        batcher.flushIfDue(true);
        return true;
    } catch (const std::exception& e) {
        batcher.flushIfDue(true);
        emit runFailed(shownMessage(e.what()));
        return false;
    }
}

void InferenceWorker::run(const QStringList& inputs, const RunOptions& options) {
    ScanResult scanned;
    if (!scan(inputs, scanned, true)) {
        return;
    }
    RunOptions runOptions = options;
    constexpr double kRawSampleBudgetBytes = 256.0 * (1 << 20);
    const double rawBytes = double(scanned.images.size()) * std::max(options.passesPerCopy(), 1) *
                            options.augment.copiesPerImage() * bundle_->meta().classes.size() *
                            sizeof(float);
    if (rawBytes > kRawSampleBudgetBytes) {
        runOptions.keepRawSamples = false;  // summaries only: memory must not grow with T x N
    }
    RunReport report;
    if (runEngine(
            scanned.images, runOptions, [this](const ResultBatch& b) { emit resultsReady(b); },
            report)) {
        emit runFinished(report);
    }
}

void InferenceWorker::runAuxiliary(const QStringList& inputs, const RunOptions& options) {
    ScanResult scanned;
    if (!scan(inputs, scanned, false)) {
        return;
    }
    RunOptions auxiliary = options;
    auxiliary.keepRawSamples = false;
    RunReport report;
    if (runEngine(
            scanned.images, auxiliary,
            [this](const ResultBatch& b) { emit auxiliaryResultsReady(b); }, report)) {
        emit auxiliaryFinished(report);
    }
}

void InferenceWorker::runComparison(const QStringList& inputs, const QStringList& oodInputs,
                                    const MethodList& methods) {
    const auto toStd = [](const QStringList& list) {
        std::vector<std::string> paths;
        for (const QString& path : list) {
            paths.push_back(pathBytes(path));
        }
        return paths;
    };
    std::vector<std::string> classes;
    std::vector<ImageEntry> sets[2];
    std::size_t done = 0, total = 0;
    bool cancelled = false;
    for (int m = 0; m < methods.size() && !cancelled; ++m) {
        const MethodSpec& spec = methods[m];
        std::unique_ptr<ModelBundle> bundle;
        try {
            bundle = std::make_unique<ModelBundle>(ModelBundle::load(spec.model));
        } catch (const std::exception& e) {
            emit comparisonMethodFailed(m, shownMessage(e.what()));
            continue;
        }
        if (classes.empty()) {
            // The first usable model names the classes the folders are labelled with.
            classes = bundle->meta().classes;
            sets[0] = scanInputs(toStd(inputs), classes).images;
            sets[1] = scanInputs(toStd(oodInputs), {}).images;
            total = methods.size() * (sets[0].size() + sets[1].size());
            emit comparisonStarted(toQStrings(classes));
            if (sets[0].empty()) {
                emit runFailed(tr("No images found in the chosen files and folders."));
                break;
            }
        } else if (bundle->meta().classes != classes) {
            emit comparisonMethodFailed(m, tr("its classes differ from the first method's"));
            continue;
        }
        RunOptions options = spec.options;
        options.keepRawSamples = false;
        double seconds = 0;
        for (const bool out : {false, true}) {
            Batcher<ResultBatch> batcher([this, m, out](const ResultBatch& batch) {
                emit comparisonResultsReady(m, out, batch);
            });
            try {
                const RunReport report = McEngine(*bundle).run(
                    sets[out ? 1 : 0], options, [&](ImageResult&& r) { batcher.add(std::move(r)); },
                    [&](const RunProgress& p) {
                        if (batcher.flushIfDue(p.done == p.total)) {
                            // Progress over the whole comparison, not this one run.
                            RunProgress overall = p;
                            overall.done += done;
                            overall.total = total;
                            overall.secondsLeft = p.imagesPerSecond > 0
                                                      ? (total - overall.done) / p.imagesPerSecond
                                                      : 0;
                            emit progressed(overall);
                        }
                    },
                    &cancel_);
                batcher.flushIfDue(true);
                seconds += report.seconds;
                cancelled = report.cancelled;
            } catch (const std::exception& e) {
                batcher.flushIfDue(true);
                emit comparisonMethodFailed(m, shownMessage(e.what()));
                seconds = -1;
                break;
            }
            done += sets[out ? 1 : 0].size();
            if (cancelled) {
                break;
            }
        }
        if (seconds >= 0) {
            emit comparisonMethodFinished(m, seconds, cancelled);
        }
    }
    emit comparisonFinished(cancelled);
}

void InferenceWorker::runGammaSweep(const QStringList& inputs, const RunOptions& options,
                                    const QVector<double>& gammas) {
    ScanResult scanned;
    if (!scan(inputs, scanned, false)) {
        return;
    }
    RunOptions sweepOptions = options;
    sweepOptions.keepRawSamples = false;  // the sweep keeps summaries (histograms) only
    Batcher<GammaBatch> batcher([this](const GammaBatch& b) { emit gammaResultsReady(b); });
    try {
        McEngine engine(*bundle_);
        const RunReport report = ue::runGammaSweep(
            engine, *bundle_, scanned.images, std::vector<double>(gammas.begin(), gammas.end()),
            sweepOptions, [&](GammaResult&& r) { batcher.add(std::move(r)); },
            [&](const RunProgress& progress) {
                if (batcher.flushIfDue(progress.done == progress.total)) {
                    emit progressed(progress);
                }
            },
            &cancel_);
        batcher.flushIfDue(true);
        emit gammaSweepFinished(report);
    } catch (const std::exception& e) {
        batcher.flushIfDue(true);
        emit runFailed(shownMessage(e.what()));
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
    connect(worker_, &InferenceWorker::gammaSweepFinished, this, [this] { setRunning(false); });
    connect(worker_, &InferenceWorker::auxiliaryFinished, this, [this] { setRunning(false); });
    connect(worker_, &InferenceWorker::runFailed, this, [this] { setRunning(false); });
    connect(worker_, &InferenceWorker::comparisonFinished, this, [this] { setRunning(false); });
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

void InferenceSession::runGammaSweep(const QStringList& inputs, const RunOptions& options,
                                     const QVector<double>& gammas) {
    setRunning(true);
    worker_->clearCancel();
    QMetaObject::invokeMethod(worker_, "runGammaSweep", Qt::QueuedConnection,
                              Q_ARG(QStringList, inputs), Q_ARG(ue::RunOptions, options),
                              Q_ARG(QVector<double>, gammas));
}

void InferenceSession::runAuxiliary(const QStringList& inputs, const RunOptions& options) {
    setRunning(true);
    worker_->clearCancel();
    QMetaObject::invokeMethod(worker_, "runAuxiliary", Qt::QueuedConnection,
                              Q_ARG(QStringList, inputs), Q_ARG(ue::RunOptions, options));
}

void InferenceSession::runComparison(const QStringList& inputs, const QStringList& oodInputs,
                                     const MethodList& methods) {
    setRunning(true);
    worker_->clearCancel();
    QMetaObject::invokeMethod(worker_, "runComparison", Qt::QueuedConnection,
                              Q_ARG(QStringList, inputs), Q_ARG(QStringList, oodInputs),
                              Q_ARG(ue::ui::MethodList, methods));
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
