#include "engine/McEngine.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

#include "Error.h"
#include "data/ImageLoader.h"
#include "model/ModelBundleImpl.h"

namespace ue {
namespace {

// Activations of a CNN row are some tens of times its input; this keeps a batch's working
// set near the budget without knowing the architecture.
constexpr std::size_t kActivationFactor = 32;
constexpr int kMaxRowsPerBatch = 512;
constexpr int kMaxImagesPerBatch = 256;
constexpr int kMaxSamples = 1000000;

struct DecodedImage {
    std::vector<float> chw;
    std::string error;
};

std::vector<DecodedImage> decodeRange(const std::vector<ImageEntry>& images, std::size_t begin,
                                      std::size_t end, const InputSpec& spec) {
    std::vector<DecodedImage> out(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
        try {
            out[i - begin].chw = loadImageForModel(images[i].path, spec);
        } catch (const std::exception& e) {
            out[i - begin].error = e.what();
        }
    }
    return out;
}

// Where a run's inputs come from: image files decoded on the fly, or tensors already prepared.
struct InputSource {
    std::size_t count = 0;
    std::function<std::vector<DecodedImage>(std::size_t, std::size_t)> decode;
    std::function<std::string(std::size_t)> path;
    std::function<int(std::size_t)> label;
};

class BatchRunner {
  public:
    BatchRunner(const ModelBundle::Impl& model, const RunOptions& options, int samples,
                bool useCache, int rowsPerBatch)
        : model_(model),
          options_(options),
          samples_(samples),
          useCache_(useCache),
          rowsPerBatch_(rowsPerBatch) {}

    // Probabilities [images x T, classes] for a batch of preprocessed images, computed in
    // row chunks so the replicated rows never exist all at once. Empty when cancelled.
    torch::Tensor probabilities(const torch::Tensor& inputs, const std::atomic<bool>* cancel) {
        const bool mc = options_.method == Method::McDropout;
        model_.setMonteCarlo(mc);
        const torch::Tensor source = useCache_ ? model_.encode(inputs) : inputs;
        const int64_t rows = source.size(0) * samples_;
        std::vector<torch::Tensor> chunks;
        for (int64_t first = 0; first < rows; first += rowsPerBatch_) {
            if (cancel && cancel->load()) {
                return {};
            }
            const int64_t last = std::min<int64_t>(rows, first + rowsPerBatch_);
            // Row r is pass r % T of image r / T: each image's passes stay contiguous.
            const auto imageOfRow = torch::arange(first, last, torch::kLong).floor_divide(samples_);
            const auto batch = source.index_select(0, imageOfRow);
            const auto logits = useCache_ ? model_.head(batch) : model_.forward(batch);
            chunks.push_back(torch::softmax(logits.to(torch::kFloat32), 1));
        }
        return torch::cat(chunks, 0).contiguous();
    }

  private:
    const ModelBundle::Impl& model_;
    const RunOptions& options_;
    int samples_;
    bool useCache_;
    int rowsPerBatch_;
};

}  // namespace

std::string toString(Method method) {
    return method == Method::McDropout ? "mc-dropout" : "deterministic";
}

Method methodFromString(const std::string& name) {
    if (name == "mc-dropout") {
        return Method::McDropout;
    }
    if (name == "deterministic") {
        return Method::Deterministic;
    }
    throw std::invalid_argument("unknown method \"" + name +
                                "\" (expected mc-dropout or deterministic)");
}

int McEngine::rowsForBudget(std::size_t floatsPerRow, std::size_t budgetBytes) {
    const std::size_t bytesPerRow = std::max<std::size_t>(floatsPerRow, 1) * 4 * kActivationFactor;
    const std::size_t rows = budgetBytes / bytesPerRow;
    return static_cast<int>(std::clamp<std::size_t>(rows, 1, kMaxRowsPerBatch));
}

McEngine::McEngine(const ModelBundle& bundle) : bundle_(bundle) {}

namespace {

RunReport runSource(const ModelBundle& bundle, const InputSource& source, const RunOptions& options,
                    const ResultCallback& onResult, const ProgressCallback& onProgress,
                    const std::atomic<bool>* cancel) {
    const auto& model = bundle.impl();
    const auto& spec = model.meta.input;
    const bool mc = options.method == Method::McDropout;
    const int samples = mc ? options.samples : 1;
    if (samples < 1 || samples > kMaxSamples) {
        throw std::invalid_argument("samples must be between 1 and " + std::to_string(kMaxSamples));
    }
    const int threads = options.threads > 0
                            ? options.threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    torch::manual_seed(options.seed);
    torch::InferenceMode inferenceMode;

    RunReport report;
    report.total = source.count;
    report.samples = samples;
    report.threads = threads;
    report.usedEncodeCache = mc && options.useEncodeCache && bundle.encodeHeadUsable();

    const std::size_t inputFloats = std::size_t(spec.channels) * spec.height * spec.width;
    std::size_t rowFloats = inputFloats;
    if (report.usedEncodeCache) {
        model.setMonteCarlo(false);
        rowFloats = static_cast<std::size_t>(model.encode(model.probeInput(1)).numel());
    }
    report.rowsPerBatch = McEngine::rowsForBudget(rowFloats, options.memoryBudgetBytes);
    // Images per batch: enough to fill the row chunks, but never more than the encoder (which
    // sees whole images) can hold in the budget.
    const int imagesPerBatch =
        std::clamp(std::min(std::max(report.rowsPerBatch / samples, 1),
                            McEngine::rowsForBudget(inputFloats, options.memoryBudgetBytes)),
                   1, kMaxImagesPerBatch);

    BatchRunner runner(model, options, samples, report.usedEncodeCache, report.rowsPerBatch);
    const auto started = std::chrono::steady_clock::now();
    const auto classes = static_cast<int>(model.meta.classes.size());
    const auto isCancelled = [cancel] { return cancel && cancel->load(); };

    auto decodeAsync = [&](std::size_t begin) {
        const std::size_t end = std::min(source.count, begin + imagesPerBatch);
        return std::async(std::launch::async, source.decode, begin, end);
    };
    std::future<std::vector<DecodedImage>> pending;
    if (source.count > 0) {
        pending = decodeAsync(0);
    }
    for (std::size_t begin = 0; begin < source.count; begin += imagesPerBatch) {
        std::vector<DecodedImage> decoded = pending.get();
        if (isCancelled()) {
            report.cancelled = true;
            break;
        }
        const std::size_t next = begin + imagesPerBatch;
        if (next < source.count) {
            pending = decodeAsync(next);
        }

        std::vector<std::size_t> okIndices;
        std::vector<float> packed;
        for (std::size_t i = 0; i < decoded.size(); ++i) {
            if (decoded[i].error.empty()) {
                okIndices.push_back(begin + i);
                packed.insert(packed.end(), decoded[i].chw.begin(), decoded[i].chw.end());
            }
        }
        torch::Tensor probs;
        std::string batchError;
        if (!okIndices.empty()) {
            const auto inputs = torch::from_blob(
                packed.data(), {int64_t(okIndices.size()), spec.channels, spec.height, spec.width},
                torch::kFloat32);
            try {
                probs = runner.probabilities(inputs, cancel);
            } catch (const std::exception& e) {
                batchError = "inference failed: " + torchErrorSummary(e);
            }
            if (batchError.empty() && !probs.defined()) {
                report.cancelled = true;
                break;
            }
        }

        std::size_t okPosition = 0;
        for (std::size_t i = 0; i < decoded.size(); ++i) {
            ImageResult result;
            result.index = begin + i;
            result.path = source.path(begin + i);
            result.label = source.label(begin + i);
            if (!decoded[i].error.empty()) {
                result.error = decoded[i].error;
            } else if (!batchError.empty()) {
                result.error = result.path + ": " + batchError;
                ++okPosition;
            } else {
                const float* rows =
                    probs.data_ptr<float>() + okPosition * std::size_t(samples) * classes;
                ++okPosition;
                const std::size_t count = std::size_t(samples) * classes;
                if (!std::all_of(rows, rows + count, [](float p) { return std::isfinite(p); })) {
                    result.error = result.path +
                                   ": the model's output is not finite (NaN or "
                                   "Inf) for this image";
                } else {
                    result.ok = true;
                    result.summary = summarizeSamples(rows, samples, classes, options.summary);
                    if (options.keepRawSamples) {
                        result.rawSamples.assign(rows, rows + count);
                    }
                }
            }
            (result.ok ? report.succeeded : report.failed)++;
            onResult(std::move(result));
        }

        if (onProgress) {
            RunProgress progress;
            progress.done = report.succeeded + report.failed;
            progress.failed = report.failed;
            progress.total = source.count;
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            progress.imagesPerSecond = elapsed > 0 ? progress.done / elapsed : 0.0;
            progress.secondsLeft = progress.imagesPerSecond > 0
                                       ? (progress.total - progress.done) / progress.imagesPerSecond
                                       : 0.0;
            onProgress(progress);
        }
    }
    model.setMonteCarlo(false);
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

}  // namespace

RunReport McEngine::run(const std::vector<ImageEntry>& images, const RunOptions& options,
                        const ResultCallback& onResult, const ProgressCallback& onProgress,
                        const std::atomic<bool>* cancel) {
    const InputSpec& spec = bundle_.meta().input;
    InputSource source;
    source.count = images.size();
    source.decode = [&images, &spec](std::size_t begin, std::size_t end) {
        return decodeRange(images, begin, end, spec);
    };
    source.path = [&images](std::size_t i) { return images[i].path; };
    source.label = [&images](std::size_t i) { return images[i].label; };
    return runSource(bundle_, source, options, onResult, onProgress, cancel);
}

RunReport McEngine::runPreprocessed(const std::vector<float>& inputs, const RunOptions& options,
                                    const ResultCallback& onResult,
                                    const ProgressCallback& onProgress,
                                    const std::atomic<bool>* cancel) {
    const InputSpec& spec = bundle_.meta().input;
    const std::size_t floats = std::size_t(spec.channels) * spec.height * spec.width;
    if (inputs.size() % floats != 0) {
        throw std::invalid_argument(
            "preprocessed inputs are not a whole number of " + std::to_string(spec.channels) +
            " x " + std::to_string(spec.height) + " x " + std::to_string(spec.width) + " images");
    }
    InputSource source;
    source.count = inputs.size() / floats;
    source.decode = [&inputs, floats](std::size_t begin, std::size_t end) {
        std::vector<DecodedImage> out(end - begin);
        for (std::size_t i = begin; i < end; ++i) {
            out[i - begin].chw.assign(inputs.begin() + i * floats,
                                      inputs.begin() + (i + 1) * floats);
        }
        return out;
    };
    source.path = [](std::size_t i) { return "#" + std::to_string(i); };
    source.label = [](std::size_t) { return kNoLabel; };
    return runSource(bundle_, source, options, onResult, onProgress, cancel);
}

}  // namespace ue
