#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "augment/AugmentPolicy.h"
#include "data/FolderScan.h"
#include "engine/Device.h"
#include "engine/InputSource.h"
#include "engine/RandomStreams.h"
#include "metrics/ImageSummary.h"

namespace ue {

class ModelBundle;

enum class Method { McDropout, Deterministic };

std::string toString(Method method);
// "mc-dropout" or "deterministic"; throws std::invalid_argument otherwise.
Method methodFromString(const std::string& name);

struct RunOptions;
// "mc-dropout", or with test-time augmentation "deterministic + TTA x8: flip 0.5, shift 0.1".
std::string describeMethod(const RunOptions& options);
// The same for a given model, which says what the run really draws: "deep ensemble x5
// (deterministic)", "mc-dropout, K = 10 logit draws", "stochastic passes" (a random forward).
std::string describeMethod(const ModelBundle& bundle, const RunOptions& options);

struct RunOptions {
    Method method = Method::McDropout;
    int samples = 100;       // T, Monte Carlo passes per image (deterministic: always 1)
    std::uint64_t seed = 0;  // same seed, model, images, T and options -> same numbers
    // Per image, an image's numbers do not depend on the rest of the run (shards merge into the
    // single run's results); per batch is faster on a GPU. Auto: per image on a CPU.
    RandomStreams randomStreams = RandomStreams::Auto;
    int threads = 0;  // LibTorch intra-op threads; 0 = all cores
    // "auto" (the first GPU when there is one, else the CPU), "cpu", "cuda" or "cuda:N".
    std::string device = "auto";
    Precision precision = Precision::Float32;  // 16-bit needs a CUDA device
    // Sizes the row batches and bounds the decoded images held at once. On a GPU the batches
    // may also grow to half of the device's free memory.
    std::size_t memoryBudgetBytes = std::size_t{256} << 20;
    bool useEncodeCache = true;  // encode once + head T times, when the bundle allows it
    // Heteroscedastic bundles ("output": "logits_logvar"): K logits drawn as mu + sigma * eps
    // per pass, each pushed through softmax and averaged into the pass's sample (so the spread
    // between passes stays epistemic). Ignored for other bundles.
    int logitSamples = 10;
    bool keepRawSamples = false;  // attach the (copies x T) x C probabilities to every result
    // Test-time augmentation: each image runs as augment.copies copies, T passes each (per
    // ensemble member), and its summary covers all their samples (copy-major). Needs a source that
    // makes the copies (image files do; preprocessed tensors do not).
    AugmentPolicy augment;
    SummaryOptions summary;

    // The passes each input gets: T under MC dropout, 1 when deterministic.
    int passesPerCopy() const { return method == Method::McDropout ? samples : 1; }
};

// How an image's samples are laid out: copy-major, then ensemble member, then pass
// (copies x members x T rows).
struct SampleAxes {
    int copies = 1;   // test-time augmentation copies
    int members = 1;  // ensemble members
};

// The axes a run of `bundle` with `options` will give (for writers that label raw samples).
SampleAxes sampleAxes(const ModelBundle& bundle, const RunOptions& options);

struct ImageResult {
    std::size_t index = 0;  // position in the input list
    std::string path;
    int label = kNoLabel;
    bool ok = false;
    std::string error;  // set when !ok
    ImageSummary summary;
    // (copies x members x T) x C, copy-major, only when RunOptions::keepRawSamples.
    std::vector<float> rawSamples;
};

struct RunProgress {
    std::size_t done = 0;  // finished, including failed
    std::size_t failed = 0;
    std::size_t total = 0;
    double imagesPerSecond = 0;
    double secondsLeft = 0;
};

struct RunReport {
    std::size_t total = 0;
    std::size_t succeeded = 0;
    std::size_t failed = 0;
    bool cancelled = false;  // the results cover only part of the input
    double seconds = 0;
    // Where the time went (wall clock on the calling thread): waiting for decoded and packed
    // inputs (both made on the decode thread, overlapping the previous batch's inference),
    // uploading them, the forward passes, summarising (on a GPU, where the probabilities
    // are), and handing the results to the callback.
    double secondsWaitingForInputs = 0;
    double secondsPacking = 0;
    double secondsInference = 0;
    double secondsSummarizing = 0;
    double secondsDelivering = 0;
    int samples = 0;       // T, passes per member and copy
    int copies = 1;        // augmented copies per image (1 without test-time augmentation)
    int members = 1;       // ensemble members (1 for a single model)
    int logitSamples = 1;  // K logit draws averaged per pass (heteroscedastic), else 1
    bool usedEncodeCache = false;
    RandomStreams randomStreams = RandomStreams::PerImage;  // as resolved for the device
    int rowsPerBatch = 0;  // forward-pass batch rows chosen from the memory budget
    int imagesPerBatch = 0;
    int threads = 0;
    int inferenceThreads = 0;  // intra-op threads of the forward calls (IntraOpThreads.h)
    int inputWorkers = 1;      // images run side by side (per-image runs on the CPU)
    std::string device;        // the resolved device, e.g. "cpu" or "cuda:0"
    Precision precision = Precision::Float32;
};

using ResultCallback = std::function<void(ImageResult&&)>;
using ProgressCallback = std::function<void(const RunProgress&)>;

// Runs images x T passes of a bundle. Results arrive in input order, on the calling thread.
// Decoding runs ahead of inference on another thread. Cancellation is checked between
// batches; what finished before it has been delivered.
class McEngine {
  public:
    explicit McEngine(const ModelBundle& bundle);

    RunReport run(const std::vector<ImageEntry>& images, const RunOptions& options,
                  const ResultCallback& onResult, const ProgressCallback& onProgress = {},
                  const std::atomic<bool>* cancel = nullptr);

    // The general form: any source of preprocessed inputs (run() decodes image files with
    // OpenCV; this one needs no OpenCV, so the engine builds and benchmarks without it).
    RunReport runSource(const InputSource& source, const RunOptions& options,
                        const ResultCallback& onResult, const ProgressCallback& onProgress = {},
                        const std::atomic<bool>* cancel = nullptr);

    // The same run on images already preprocessed for the model: N x C x H x W floats,
    // row-major (results are named "#0", "#1", ...). For benchmarks and tensor-only callers.
    RunReport runPreprocessed(const std::vector<float>& inputs, const RunOptions& options,
                              const ResultCallback& onResult,
                              const ProgressCallback& onProgress = {},
                              const std::atomic<bool>* cancel = nullptr);

    // Rows per forward pass for the given floats per row under a memory budget, at most maxRows.
    static int rowsForBudget(std::size_t floatsPerRow, std::size_t budgetBytes, int maxRows = 512);
    // Images in the batchIndex-th batch of a GPU run whose batches hold fullBatch images of
    // bytesPerImage input each: the first holds 32 MiB of input (at least one image), each next
    // one twice as many, up to fullBatch.
    static int rampedBatchImages(int fullBatch, std::size_t bytesPerImage, std::size_t batchIndex);

  private:
    const ModelBundle& bundle_;
};

}  // namespace ue
