#include "engine/McEngine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <stdexcept>
#include <thread>

#include "Error.h"
#include "engine/AutocastGuard.h"
#include "engine/ParallelFor.h"
#include "model/ModelBundleImpl.h"

namespace ue {
namespace {

// Activations of a CNN row are some tens of times its input; this keeps a batch's working
// set near the budget without knowing the architecture.
constexpr std::size_t kActivationFactor = 32;
// Large replicated batches run slower per row on a CPU (caches); a GPU wants them wide.
constexpr int kCpuMaxRowsPerBatch = 512;
constexpr int kCpuMaxImagesPerBatch = 256;
constexpr int kGpuMaxRowsPerBatch = 65536;
constexpr int kGpuMaxImagesPerBatch = 4096;
constexpr int kMaxSamples = 1000000;

bool isOutOfMemory(const std::exception& e) {
    return std::string(e.what()).find("out of memory") != std::string::npos;
}

class BatchRunner {
  public:
    BatchRunner(const ModelBundle::Impl& model, const RunOptions& options, int samples,
                bool useCache, int rowsPerBatch, int encodeRows, torch::Device device)
        : model_(model),
          options_(options),
          samples_(samples),
          useCache_(useCache),
          rowsPerBatch_(rowsPerBatch),
          encodeRows_(encodeRows),
          device_(device) {}

    // Probabilities [images x T, classes] on the CPU for a batch of preprocessed images,
    // computed in row chunks so the replicated rows never exist all at once. Empty when
    // cancelled. A GPU that runs out of memory gets smaller chunks rather than a failed run.
    torch::Tensor probabilities(const torch::Tensor& inputs, const std::atomic<bool>* cancel) {
        const bool mc = options_.method == Method::McDropout;
        model_.setMonteCarlo(mc);
        AutocastGuard autocast(options_.precision, device_.is_cuda());
        const torch::Tensor source = useCache_ ? encodeInChunks(inputs) : inputs;
        const int64_t rows = source.size(0) * samples_;
        std::vector<torch::Tensor> chunks;
        for (int64_t first = 0; first < rows;) {
            if (cancel && cancel->load()) {
                return {};
            }
            const int64_t last = std::min<int64_t>(rows, first + rowsPerBatch_);
            try {
                chunks.push_back(chunk(source, first, last));
            } catch (const std::exception& e) {
                if (!device_.is_cuda() || !isOutOfMemory(e) || rowsPerBatch_ == 1) {
                    throw;
                }
                rowsPerBatch_ = std::max(1, rowsPerBatch_ / 2);
                continue;
            }
            first = last;
        }
        return torch::cat(chunks, 0).to(torch::kCPU).contiguous();
    }

    int rowsPerBatch() const { return rowsPerBatch_; }

  private:
    torch::Tensor chunk(const torch::Tensor& source, int64_t first, int64_t last) {
        // Row r is pass r % T of image r / T: each image's passes stay contiguous.
        const auto imageOfRow =
            torch::arange(first, last, torch::TensorOptions(torch::kLong).device(device_))
                .floor_divide(samples_);
        const auto batch = source.index_select(0, imageOfRow);
        const auto logits = useCache_ ? model_.head(batch) : model_.forward(batch);
        return torch::softmax(logits.to(torch::kFloat32), 1);
    }

    // The encoder sees whole images: cap how many at once so it stays in the budget too.
    torch::Tensor encodeInChunks(const torch::Tensor& inputs) {
        model_.setMonteCarlo(false);
        std::vector<torch::Tensor> parts;
        for (int64_t first = 0; first < inputs.size(0); first += encodeRows_) {
            parts.push_back(model_.encode(inputs.slice(0, first, first + encodeRows_)));
        }
        model_.setMonteCarlo(options_.method == Method::McDropout);
        return parts.size() == 1 ? parts.front() : torch::cat(parts, 0);
    }

    const ModelBundle::Impl& model_;
    const RunOptions& options_;
    int samples_;
    bool useCache_;
    int rowsPerBatch_;
    int encodeRows_;
    torch::Device device_;
};

// Decodes [begin, end) on up to `threads` threads; each thread takes a contiguous part.
std::vector<DecodedImage> decodeInParallel(const InputSource& source, std::size_t begin,
                                           std::size_t end, int threads) {
    const std::size_t count = end - begin;
    const std::size_t parts = std::clamp<std::size_t>(std::size_t(threads), 1, count);
    if (parts <= 1) {
        return source.decode(begin, end);
    }
    std::vector<std::future<std::vector<DecodedImage>>> futures;
    const std::size_t step = (count + parts - 1) / parts;
    for (std::size_t first = begin; first < end; first += step) {
        futures.push_back(
            std::async(std::launch::async, source.decode, first, std::min(end, first + step)));
    }
    std::vector<DecodedImage> all;
    all.reserve(count);
    for (auto& future : futures) {
        for (auto& image : future.get()) {
            all.push_back(std::move(image));
        }
    }
    return all;
}

// The decoded images that are usable, as one tensor on the run's device. For a GPU they are
// copied straight into pinned host memory, so the upload is asynchronous; the copies run in
// parallel because for large inputs (224 x 224 RGB) they cost more than the forward pass.
torch::Tensor packBatch(const std::vector<DecodedImage>& decoded, const InputSpec& spec,
                        std::size_t copies, const torch::Device& device, int threads,
                        std::vector<std::size_t>& okPositions) {
    const std::size_t floats = std::size_t(spec.channels) * spec.height * spec.width * copies;
    okPositions.clear();
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        if (decoded[i].error.empty()) {
            if (decoded[i].chw.size() != floats) {
                throw Error("an input has " + std::to_string(decoded[i].chw.size()) +
                            " values where the model takes " + std::to_string(floats));
            }
            okPositions.push_back(i);
        }
    }
    const auto options = torch::TensorOptions(torch::kFloat32).pinned_memory(device.is_cuda());
    auto batch = torch::empty(
        {int64_t(okPositions.size() * copies), spec.channels, spec.height, spec.width}, options);
    float* destination = batch.data_ptr<float>();
    parallelFor(okPositions.size(), threads, 16, [&](std::size_t first, std::size_t last) {
        for (std::size_t k = first; k < last; ++k) {
            std::copy_n(decoded[okPositions[k]].chw.data(), floats, destination + k * floats);
        }
    });
    return device.is_cuda() ? batch.to(device, /*non_blocking=*/true) : batch;
}

// Summaries of a batch's images, computed in parallel (at T = 100 a summary costs tens of
// microseconds, as much as a GPU's whole forward pass for a small model).
std::vector<ImageResult> summarizeBatch(const std::vector<DecodedImage>& decoded,
                                        const std::vector<std::size_t>& okPositions,
                                        const torch::Tensor& probs, const std::string& batchError,
                                        int samples, int classes, int threads,
                                        const RunOptions& options) {
    std::vector<ImageResult> results(decoded.size());
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        results[i].error = decoded[i].error;
    }
    const std::size_t count = std::size_t(samples) * classes;
    parallelFor(okPositions.size(), threads, 32, [&](std::size_t first, std::size_t last) {
        for (std::size_t k = first; k < last; ++k) {
            ImageResult& result = results[okPositions[k]];
            if (!batchError.empty()) {
                result.error = batchError;
                continue;
            }
            const float* rows = probs.data_ptr<float>() + k * count;
            if (!std::all_of(rows, rows + count, [](float p) { return std::isfinite(p); })) {
                result.error = "the model's output is not finite (NaN or Inf) for this image";
                continue;
            }
            result.ok = true;
            result.summary = summarizeSamples(rows, samples, classes, options.summary);
            if (options.keepRawSamples) {
                result.rawSamples.assign(rows, rows + count);
            }
        }
    });
    return results;
}

}  // namespace

std::string toString(Method method) {
    return method == Method::McDropout ? "mc-dropout" : "deterministic";
}

std::string describeMethod(const RunOptions& options) {
    const std::string method = toString(options.method);
    return options.augment.enabled() ? method + " + " + describe(options.augment) : method;
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

int McEngine::rowsForBudget(std::size_t floatsPerRow, std::size_t budgetBytes, int maxRows) {
    const std::size_t bytesPerRow = std::max<std::size_t>(floatsPerRow, 1) * 4 * kActivationFactor;
    const std::size_t rows = budgetBytes / bytesPerRow;
    return static_cast<int>(std::clamp<std::size_t>(rows, 1, std::size_t(std::max(maxRows, 1))));
}

McEngine::McEngine(const ModelBundle& bundle) : bundle_(bundle) {}

RunReport McEngine::runSource(const InputSource& source, const RunOptions& options,
                              const ResultCallback& onResult, const ProgressCallback& onProgress,
                              const std::atomic<bool>* cancel) {
    const auto& model = bundle_.impl();
    const auto& spec = model.meta.input;
    const bool mc = options.method == Method::McDropout;
    const int samples = options.passesPerCopy();
    if (samples < 1 || samples > kMaxSamples) {
        throw std::invalid_argument("samples must be between 1 and " + std::to_string(kMaxSamples));
    }
    validate(options.augment);
    const int copies = options.augment.copiesPerImage();
    if (source.copiesPerInput != std::size_t(copies)) {
        throw std::invalid_argument(
            "test-time augmentation needs image files: these inputs cannot be augmented");
    }
    // An image's samples: every copy's T passes.
    if (std::int64_t(samples) * copies > kMaxSamples) {
        throw std::invalid_argument(
            "copies x T = " + std::to_string(std::int64_t(samples) * copies) +
            " samples per image; at most " + std::to_string(kMaxSamples));
    }
    const int samplesPerImage = samples * copies;
    const std::string deviceName = resolveDevice(options.device);
    const bool onGpu = isCudaDevice(deviceName);
    if (!onGpu && options.precision != Precision::Float32) {
        throw Error("precision " + toString(options.precision) +
                    " runs only on a CUDA device; on the CPU use fp32");
    }
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int threads = options.threads > 0 ? options.threads : cores;
    at::set_num_threads(threads);
    // Decoding overlaps inference: on a GPU the CPU is free for it; on a CPU it gets what the
    // intra-op threads leave, and at least one thread.
    const int decodeThreads = onGpu ? std::clamp(cores - 1, 1, 8) : std::max(1, cores - threads);
    // Packing and summarising run between forward passes, so they may use every core.
    const int hostThreads = onGpu ? cores : threads;
    const torch::Device device(deviceName);
    model.moveTo(device);
    torch::manual_seed(options.seed);
    torch::InferenceMode inferenceMode;

    RunReport report;
    report.total = source.count;
    report.samples = samples;
    report.copies = copies;
    report.threads = threads;
    report.device = deviceName;
    report.precision = options.precision;
    report.usedEncodeCache = mc && options.useEncodeCache && bundle_.encodeHeadUsable();

    const std::size_t inputFloats = std::size_t(spec.channels) * spec.height * spec.width;
    // One image's copies are decoded, packed and run together: they must fit the budget.
    const std::size_t copiesBytes = inputFloats * sizeof(float) * std::size_t(copies);
    if (copies > 1 && copiesBytes > 4 * options.memoryBudgetBytes) {
        throw std::invalid_argument(std::to_string(copies) + " augmented copies of a " +
                                    std::to_string(spec.width) + " x " +
                                    std::to_string(spec.height) + " input take " +
                                    std::to_string(copiesBytes >> 20) +
                                    " MiB per image, over four times the memory budget (" +
                                    std::to_string(options.memoryBudgetBytes >> 20) +
                                    " MiB): use fewer copies or a larger budget");
    }
    std::size_t rowFloats = inputFloats;
    if (report.usedEncodeCache) {
        model.setMonteCarlo(false);
        rowFloats = static_cast<std::size_t>(model.encode(model.probeInput(1)).numel());
    }
    std::size_t deviceBudget = options.memoryBudgetBytes;
    if (onGpu) {
        deviceBudget = std::max(deviceBudget, freeDeviceMemory(deviceName) / 2);
    }
    const int maxRows = onGpu ? kGpuMaxRowsPerBatch : kCpuMaxRowsPerBatch;
    report.rowsPerBatch = McEngine::rowsForBudget(rowFloats, deviceBudget, maxRows);
    const int encodeRows = McEngine::rowsForBudget(inputFloats, deviceBudget, maxRows);
    // Images per batch: enough to fill the row chunks, but never more decoded images on the host
    // than the (host) memory budget holds.
    const int hostImages = static_cast<int>(
        std::clamp<std::size_t>(options.memoryBudgetBytes / (inputFloats * copies * sizeof(float)),
                                1, kGpuMaxImagesPerBatch));
    report.imagesPerBatch =
        std::clamp(std::min(std::max(report.rowsPerBatch / samplesPerImage, 1), hostImages), 1,
                   onGpu ? kGpuMaxImagesPerBatch : kCpuMaxImagesPerBatch);
    const int imagesPerBatch = report.imagesPerBatch;

    BatchRunner runner(model, options, samples, report.usedEncodeCache, report.rowsPerBatch,
                       encodeRows, device);
    const auto started = std::chrono::steady_clock::now();
    const auto classes = static_cast<int>(model.meta.classes.size());
    const auto isCancelled = [cancel] { return cancel && cancel->load(); };

    auto decodeAsync = [&](std::size_t begin) {
        const std::size_t end = std::min(source.count, begin + imagesPerBatch);
        return std::async(std::launch::async, decodeInParallel, std::cref(source), begin, end,
                          decodeThreads);
    };
    std::future<std::vector<DecodedImage>> pending;
    if (source.count > 0) {
        pending = decodeAsync(0);
    }
    using Clock = std::chrono::steady_clock;
    auto lap = Clock::now();
    const auto addLap = [&lap](double& total) {
        const auto now = Clock::now();
        total += std::chrono::duration<double>(now - lap).count();
        lap = now;
    };
    for (std::size_t begin = 0; begin < source.count; begin += imagesPerBatch) {
        lap = Clock::now();
        std::vector<DecodedImage> decoded = pending.get();
        addLap(report.secondsWaitingForInputs);
        if (isCancelled()) {
            report.cancelled = true;
            break;
        }
        const std::size_t next = begin + imagesPerBatch;
        if (next < source.count) {
            pending = decodeAsync(next);
        }

        std::vector<std::size_t> okPositions;
        torch::Tensor probs;
        std::string batchError;
        try {
            const auto inputs =
                packBatch(decoded, spec, source.copiesPerInput, device, hostThreads, okPositions);
            addLap(report.secondsPacking);
            if (!okPositions.empty()) {
                probs = runner.probabilities(inputs, cancel);
                addLap(report.secondsInference);
                if (!probs.defined()) {
                    report.cancelled = true;
                    break;
                }
            }
        } catch (const std::exception& e) {
            batchError = "inference failed: " + torchErrorSummary(e);
        }

        auto results = summarizeBatch(decoded, okPositions, probs, batchError, samplesPerImage,
                                      classes, hostThreads, options);
        addLap(report.secondsSummarizing);
        for (std::size_t i = 0; i < results.size(); ++i) {
            ImageResult& result = results[i];
            result.index = begin + i;
            result.path = source.path(begin + i);
            result.label = source.label(begin + i);
            if (!result.ok && decoded[i].error.empty()) {
                result.error = result.path + ": " + result.error;  // name the file
            }
            (result.ok ? report.succeeded : report.failed)++;
            onResult(std::move(result));
        }
        addLap(report.secondsDelivering);

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
    if (pending.valid()) {
        pending.wait();  // a cancelled run must not leave a decode reading the caller's inputs
    }
    report.rowsPerBatch = runner.rowsPerBatch();
    model.setMonteCarlo(false);
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
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
    return runSource(source, options, onResult, onProgress, cancel);
}

}  // namespace ue
