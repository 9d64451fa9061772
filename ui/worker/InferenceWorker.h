#pragma once
#include <QObject>
#include <QStringList>
#include <QThread>
#include <atomic>
#include <memory>

#include "Metatypes.h"
#include "model/ModelBundle.h"

namespace ue::ui {

// What the GUI needs to know about a loaded model (the bundle itself stays in the worker).
struct ModelInfo {
    QString path;
    ModelMeta meta;
    QStringList dropoutModules;
    bool stochastic = false;
    bool stochasticForward = false;  // random without Dropout (Bayes-by-backprop)
    bool encodeHeadUsable = false;
    int members = 1;      // > 1: a deep ensemble
    QString kind;         // core's describeModelKind
    QString description;  // core's `info` text
};

// Lives on its own QThread; wraps core's model loading, folder scan and McEngine. Everything
// it emits is a value type; results come in batches (one per engine batch, at most every
// ~30 ms) so a fast run does not flood the GUI's event loop.
class InferenceWorker : public QObject {
    Q_OBJECT
  public:
    // Thread-safe: called from the GUI thread while run() works on the worker thread.
    void requestCancel() { cancel_.store(true); }
    // Before queueing a run, so a cancel pressed while it waits in the queue still counts.
    void clearCancel() { cancel_.store(false); }

  public slots:
    void loadModel(const QString& path);
    void run(const QStringList& inputs, const ue::RunOptions& options);
    // Every image of `inputs` at every γ (core's runGammaSweep); results in gammaResultsReady.
    void runGammaSweep(const QStringList& inputs, const ue::RunOptions& options,
                       const QVector<double>& gammas);
    // A run whose results do not replace the main ones (e.g. an out-of-distribution set).
    void runAuxiliary(const QStringList& inputs, const ue::RunOptions& options);
    // Every method on the same images (and OOD images, when given). Each method's model is
    // loaded here, one at a time, and never replaces the main one. A method that cannot run
    // is reported and the next one goes on.
    void runComparison(const QStringList& inputs, const QStringList& oodInputs,
                       const ue::ui::MethodList& methods);

  signals:
    void modelLoaded(const ue::ui::ModelInfo& info);
    void modelFailed(const QString& error);
    void imagesListed(const ue::ui::SharedListing& images, const QStringList& problems);
    void resultsReady(const ue::ui::ResultBatch& results);
    void progressed(const ue::RunProgress& progress);
    void runFinished(const ue::RunReport& report);
    void runFailed(const QString& error);
    void gammaResultsReady(const ue::ui::GammaBatch& results);
    void gammaSweepFinished(const ue::RunReport& report);
    void auxiliaryResultsReady(const ue::ui::ResultBatch& results);
    void auxiliaryFinished(const ue::RunReport& report);
    // The comparison's labels (method 0's classes, which every method must share).
    void comparisonStarted(const QStringList& classes);
    void comparisonResultsReady(int method, bool outOfDistribution,
                                const ue::ui::ResultBatch& results);
    // One method's end: `seconds` of inference over both sets.
    void comparisonMethodFinished(int method, double seconds, bool cancelled);
    void comparisonMethodFailed(int method, const QString& error);
    void comparisonFinished(bool cancelled);

  private:
    // Runs the engine over `images`, streaming results through `emitBatch` and emitting
    // progressed. False (after emitting runFailed) when the engine threw.
    template <class EmitBatch>
    bool runEngine(const std::vector<ImageEntry>& images, const RunOptions& options,
                   EmitBatch emitBatch, RunReport& report);
    // Scans the inputs; emits runFailed and returns false when nothing can run.
    bool scan(const QStringList& inputs, ScanResult& scan, bool announce);
    std::unique_ptr<ModelBundle> bundle_;
    std::atomic<bool> cancel_{false};
};

// Owns the worker and its thread on the GUI side: starts them, forwards requests as queued
// calls, and on destruction cancels a run and joins the thread.
class InferenceSession : public QObject {
    Q_OBJECT
  public:
    explicit InferenceSession(QObject* parent = nullptr);
    ~InferenceSession() override;

    InferenceWorker* worker() const { return worker_; }
    bool isRunning() const { return running_; }
    bool hasModel() const { return hasModel_; }

    void loadModel(const QString& path);
    void run(const QStringList& inputs, const RunOptions& options);
    void runGammaSweep(const QStringList& inputs, const RunOptions& options,
                       const QVector<double>& gammas);
    void runAuxiliary(const QStringList& inputs, const RunOptions& options);
    void runComparison(const QStringList& inputs, const QStringList& oodInputs,
                       const MethodList& methods);
    void cancel();

  signals:
    void runningChanged(bool running);

  private:
    void setRunning(bool running);
    QThread thread_;
    InferenceWorker* worker_;
    bool running_ = false;
    bool hasModel_ = false;
};

}  // namespace ue::ui

Q_DECLARE_METATYPE(ue::ui::ModelInfo)
