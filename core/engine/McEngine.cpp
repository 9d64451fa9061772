#include "engine/McEngine.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

#include "Error.h"
#include "engine/BatchRunner.h"
#include "engine/BatchStages.h"
#include "engine/BlasThreads.h"
#include "engine/IntraOpThreads.h"

namespace ue {
namespace {

// Activations of a CNN row are some tens of times its input; this keeps a batch's working
// set near the budget without knowing the architecture.
constexpr std::size_t kActivationFactor = 32;
// Large replicated batches run slower per row on a CPU (caches); a GPU wants them wide.
constexpr int kCpuMaxRowsPerBatch = 512;
constexpr int kCpuMaxImagesPerBatch = 256;
constexpr int kGpuMaxRowsPerBatch = 1 << 20;
constexpr int kGpuMaxImagesPerBatch = 4096;
constexpr int kMaxSamples = 1000000;
constexpr int kMaxLogitSamples = 10000;
// The logit draws of a chunk ([rows, K, C] floats, a few temporaries) share the row budget.
constexpr std::size_t kDrawTemporaries = 4;

// How many samples an image gets: copies x members x T passes, copy-major (K logit draws of a
// heteroscedastic model are averaged within their pass).
struct SampleLayout {
    int passes = 1;
    int members = 1;
    int draws = 1;
    int perImage = 1;
};

SampleLayout sampleLayout(const ModelBundle::Impl& model, const RunOptions& options, int copies) {
    SampleLayout layout;
    layout.passes = options.passesPerCopy();
    if (layout.passes < 1 || layout.passes > kMaxSamples) {
        throw std::invalid_argument("samples must be between 1 and " + std::to_string(kMaxSamples));
    }
    layout.members = static_cast<int>(model.members.size());
    if (model.meta.output == OutputKind::LogitsLogvar) {
        if (options.logitSamples < 1 || options.logitSamples > kMaxLogitSamples) {
            throw std::invalid_argument("logit samples must be between 1 and " +
                                        std::to_string(kMaxLogitSamples));
        }
        layout.draws = options.logitSamples;
    }
    const std::int64_t perImage = std::int64_t(copies) * layout.members * layout.passes;
    if (perImage > kMaxSamples) {
        throw std::invalid_argument("copies x members x T = " + std::to_string(perImage) +
                                    " samples per image; at most " + std::to_string(kMaxSamples));
    }
    layout.perImage = static_cast<int>(perImage);
    return layout;
}

}  // namespace

std::string toString(Method method) {
    return method == Method::McDropout ? "mc-dropout" : "deterministic";
}

std::string describeMethod(const RunOptions& options) {
    const std::string method = toString(options.method);
    return options.augment.enabled() ? method + " + " + describe(options.augment) : method;
}

std::string describeMethod(const ModelBundle& bundle, const RunOptions& options) {
    std::string method = toString(options.method);
    if (options.method == Method::McDropout && bundle.hasStochasticForward()) {
        method = "stochastic passes";
    }
    if (bundle.isEnsemble()) {
        method =
            "deep ensemble x" + std::to_string(bundle.memberPaths().size()) + " (" + method + ")";
    }
    if (bundle.meta().output == OutputKind::LogitsLogvar) {
        method += ", K = " + std::to_string(options.logitSamples) + " logit draws";
    }
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

SampleAxes sampleAxes(const ModelBundle& bundle, const RunOptions& options) {
    SampleAxes axes;
    axes.copies = options.augment.copiesPerImage();
    axes.members = static_cast<int>(bundle.memberPaths().size());
    return axes;
}

int McEngine::rampedBatchImages(int fullBatch, std::size_t bytesPerImage, std::size_t batchIndex) {
    // About 4 ms of packing at the ~8 GB/s seen on an H100 host.
    constexpr std::size_t kFirstBatchBytes = std::size_t(32) << 20;
    const std::size_t first = std::clamp<std::size_t>(
        kFirstBatchBytes / std::max<std::size_t>(1, bytesPerImage), 1, std::size_t(fullBatch));
    const std::size_t doublings = std::min<std::size_t>(batchIndex, 32);
    return int(std::min(std::size_t(fullBatch), first << doublings));
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
    validate(options.augment);
    const int copies = options.augment.copiesPerImage();
    if (source.copiesPerInput != std::size_t(copies)) {
        throw std::invalid_argument(
            "test-time augmentation needs image files: these inputs cannot be augmented");
    }
    const SampleLayout layout = sampleLayout(model, options, copies);
    const std::string deviceName = resolveDevice(options.device);
    const bool onGpu = isCudaDevice(deviceName);
    if (!onGpu && options.precision != Precision::Float32) {
        throw Error("precision " + toString(options.precision) +
                    " runs only on a CUDA device; on the CPU use fp32");
    }
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int threads = options.threads > 0 ? options.threads : cores;
    at::set_num_threads(threads);
    // One OpenBLAS thread whatever --threads says: OpenBLAS splits a product differently for
    // another thread count and rounds differently, so results would change with the machine's
    // cores (shards run on different nodes must merge exactly). On the demo CNN it costs
    // nothing measurable (an image's T rows are small products; convolutions run on oneDNN
    // under LibTorch's threads), and two BLAS threads under LibTorch's own oversubscribed two
    // cores and ran slower. A model made of large linear layers (a ViT) on many cores would
    // give up BLAS's parallelism for this.
    setBlasThreads(1);
    // Decoding overlaps inference: on a GPU the CPU is free for it; on a CPU it gets what the
    // intra-op threads leave, and at least one thread.
    const int decodeThreads = onGpu ? std::clamp(cores - 1, 1, 8) : std::max(1, cores - threads);
    // Packing and summarising run between forward passes, so they may use every core.
    const int hostThreads = onGpu ? cores : threads;
    const torch::Device device(deviceName);
    for (const auto& member : model.members) {
        member.moveTo(device);
    }
    const bool perImageStreams = options.randomStreams == RandomStreams::PerImage ||
                                 (options.randomStreams == RandomStreams::Auto && !onGpu);
    torch::manual_seed(options.seed);
    torch::InferenceMode inferenceMode;

    RunReport report;
    report.total = source.count;
    report.samples = layout.passes;
    report.copies = copies;
    report.members = layout.members;
    report.logitSamples = layout.draws;
    report.threads = threads;
    report.device = deviceName;
    report.precision = options.precision;
    report.randomStreams = perImageStreams ? RandomStreams::PerImage : RandomStreams::PerBatch;

    report.usedEncodeCache = cachesEncoder(model, options);

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
        rowFloats = 0;
        for (const auto& member : model.members) {
            member.setMonteCarlo(false);
            rowFloats = std::max<std::size_t>(
                rowFloats, static_cast<std::size_t>(member.encode(member.probeInput(1)).numel()));
        }
    }
    std::size_t deviceBudget = options.memoryBudgetBytes;
    if (onGpu) {
        deviceBudget = std::max(deviceBudget, freeDeviceMemory(deviceName) / 2);
    }
    const int maxRows = onGpu ? kGpuMaxRowsPerBatch : kCpuMaxRowsPerBatch;
    report.rowsPerBatch = McEngine::rowsForBudget(rowFloats, deviceBudget, maxRows);
    const std::size_t classCount = model.meta.classes.size();
    if (layout.draws > 1) {
        const std::size_t drawBytesPerRow =
            std::size_t(layout.draws) * classCount * sizeof(float) * kDrawTemporaries;
        report.rowsPerBatch = static_cast<int>(std::clamp<std::size_t>(
            deviceBudget / drawBytesPerRow, 1, std::size_t(report.rowsPerBatch)));
    }
    // Images per batch: enough to fill a member's row chunks, but never more decoded images, or
    // probabilities, on the host than the (host) memory budget holds.
    const std::size_t hostBytesPerImage = inputFloats * copies * sizeof(float) +
                                          std::size_t(layout.perImage) * classCount * sizeof(float);
    const int hostImages = static_cast<int>(std::clamp<std::size_t>(
        options.memoryBudgetBytes / hostBytesPerImage, 1, kGpuMaxImagesPerBatch));
    BatchRunner::Shape shape;
    shape.passes = layout.passes;
    shape.draws = layout.draws;
    shape.rowsPerBatch = report.rowsPerBatch;
    shape.encodeRows = McEngine::rowsForBudget(inputFloats, deviceBudget, maxRows);
    if (perImageStreams && !onGpu) {
        const bool monteCarlo = options.method == Method::McDropout;
        const int rowsPerCall = std::min(shape.passes, shape.rowsPerBatch);
        // Images side by side each hold one call's activations at a time: as many as the budget
        // holds. Never by splitting an image's calls differently: that would change its numbers.
        const std::size_t floatsPerCall =
            std::max(inputFloats, std::size_t(rowsPerCall) * rowFloats);
        const auto byBudget = static_cast<int>(std::clamp<std::size_t>(
            options.memoryBudgetBytes / (floatsPerCall * sizeof(float) * kActivationFactor), 1,
            std::size_t(threads)));
        // Any draw these timings make from LibTorch's generator is harmless: a per-image run
        // seeds it again for each image.
        if (threads > 1 && byBudget > 1 &&
            !callsDrawFromTorchGenerator(model, monteCarlo, report.usedEncodeCache, rowsPerCall)) {
            shape.inputWorkers = byBudget;
            shape.threads = threads;
            report.inferenceThreads = std::max(1, threads / byBudget);
        } else {
            report.inferenceThreads = chooseIntraOpThreads(
                model, monteCarlo, report.usedEncodeCache, rowsPerCall, threads);
        }
    } else {
        report.inferenceThreads = threads;
    }
    report.inputWorkers = shape.inputWorkers;
    const int rowsPerImage = layout.passes * copies;
    // Images side by side want a few each per batch, or the last ones wait for the slowest.
    const int imagesForWorkers = shape.inputWorkers > 1 ? 4 * shape.inputWorkers : 1;
    report.imagesPerBatch = std::clamp(
        std::min(std::max({report.rowsPerBatch / rowsPerImage, imagesForWorkers, 1}), hostImages),
        1, onGpu ? kGpuMaxImagesPerBatch : kCpuMaxImagesPerBatch);
    const int imagesPerBatch = report.imagesPerBatch;
    BatchRunner runner(model, options, shape, device);

    const auto started = std::chrono::steady_clock::now();
    const auto classes = static_cast<int>(model.meta.classes.size());
    const auto isCancelled = [cancel] { return cancel && cancel->load(); };

    const std::size_t copiesPerInput = source.copiesPerInput;
    // A GPU's first batch is decoded and uploaded while the GPU waits; later ones while the one
    // before them runs. Starting small keeps that wait short (ResNet-50 on an H100: a whole
    // 512-image bench in one batch spent 0.04 of its 0.14 s packing).
    const std::size_t inputBytesPerImage = copiesBytes;
    const auto imagesInBatch = [imagesPerBatch, onGpu, inputBytesPerImage](std::size_t index) {
        return std::size_t(
            onGpu ? McEngine::rampedBatchImages(imagesPerBatch, inputBytesPerImage, index)
                  : imagesPerBatch);
    };
    auto decodeAsync = [&source, &spec, decodeThreads, copiesPerInput, onGpu](std::size_t begin,
                                                                              std::size_t images) {
        const std::size_t end = std::min(source.count, begin + images);
        return std::async(std::launch::async,
                          [&source, &spec, begin, end, decodeThreads, copiesPerInput, onGpu] {
                              return packBatch(decodeInParallel(source, begin, end, decodeThreads),
                                               spec, copiesPerInput, onGpu, decodeThreads);
                          });
    };
    std::future<PackedBatch> pending;
    if (source.count > 0) {
        pending = decodeAsync(0, imagesInBatch(0));
    }
    using Clock = std::chrono::steady_clock;
    auto lap = Clock::now();
    const auto addLap = [&lap](double& total) {
        const auto now = Clock::now();
        total += std::chrono::duration<double>(now - lap).count();
        lap = now;
    };
    std::size_t batchIndex = 0;
    for (std::size_t begin = 0, next = 0; begin < source.count; begin = next, ++batchIndex) {
        next = begin + imagesInBatch(batchIndex);
        lap = Clock::now();
        const PackedBatch batch = pending.get();
        addLap(report.secondsWaitingForInputs);
        if (isCancelled()) {
            report.cancelled = true;
            break;
        }
        if (next < source.count) {
            pending = decodeAsync(next, imagesInBatch(batchIndex + 1));
        }

        std::vector<InputStream> streams;
        if (perImageStreams) {
            streams.reserve(batch.okPositions.size() * std::size_t(copies));
            for (const std::size_t position : batch.okPositions) {
                const std::uint64_t key = source.streamKey(begin + position);
                for (int copy = 0; copy < copies; ++copy) {
                    streams.push_back({key, copy});
                }
            }
        }
        BatchOutput output;
        std::string batchError = batch.error;
        try {
            if (batchError.empty() && !batch.okPositions.empty()) {
                const auto inputs =
                    onGpu ? batch.inputs.to(device, /*non_blocking=*/true) : batch.inputs;
                addLap(report.secondsPacking);
                output = runner.run(inputs, streams, cancel);
                addLap(report.secondsInference);
                if (!output.probabilities.defined()) {
                    report.cancelled = true;
                    break;
                }
            }
        } catch (const std::exception& e) {
            batchError = "inference failed: " + torchErrorSummary(e);
        }

        auto results = summarizeBatch(batch, output, batchError, layout.perImage, copies, classes,
                                      hostThreads, options);
        addLap(report.secondsSummarizing);
        for (std::size_t i = 0; i < results.size(); ++i) {
            ImageResult& result = results[i];
            result.index = begin + i;
            result.path = source.path(begin + i);
            result.label = source.label(begin + i);
            if (!result.ok && batch.errors[i].empty()) {
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
    for (const auto& member : model.members) {
        member.setMonteCarlo(false);
    }
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
    source.streamKey = [](std::size_t i) { return imageStreamKey("#" + std::to_string(i)); };
    source.label = [](std::size_t) { return kNoLabel; };
    return runSource(source, options, onResult, onProgress, cancel);
}

}  // namespace ue
