#include "engine/BatchStages.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <numeric>

#include "engine/ParallelFor.h"

namespace ue {

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

PackedBatch packBatch(std::vector<DecodedImage> decoded, const InputSpec& spec, std::size_t copies,
                      bool pinned, int threads) {
    PackedBatch batch;
    const std::size_t floats = std::size_t(spec.channels) * spec.height * spec.width * copies;
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        batch.errors.push_back(decoded[i].error);
        if (decoded[i].error.empty()) {
            if (decoded[i].chw.size() != floats) {
                batch.error = "inference failed: an input has " +
                              std::to_string(decoded[i].chw.size()) +
                              " values where the model takes " + std::to_string(floats);
            }
            batch.okPositions.push_back(i);
        }
    }
    if (!batch.error.empty()) {
        return batch;
    }
    const auto options = torch::TensorOptions(torch::kFloat32).pinned_memory(pinned);
    batch.inputs = torch::empty(
        {int64_t(batch.okPositions.size() * copies), spec.channels, spec.height, spec.width},
        options);
    float* destination = batch.inputs.data_ptr<float>();
    parallelFor(batch.okPositions.size(), threads, 16, [&](std::size_t first, std::size_t last) {
        for (std::size_t k = first; k < last; ++k) {
            std::copy_n(decoded[batch.okPositions[k]].chw.data(), floats, destination + k * floats);
        }
    });
    return batch;
}

// At T = 100 a summary costs tens of microseconds on the host, as much as a GPU's whole forward
// pass for a small model: hence threads, or the GPU itself.
std::vector<ImageResult> summarizeBatch(const PackedBatch& batch, const BatchOutput& output,
                                        const std::string& batchError, int samples, int copies,
                                        int classes, int threads, const RunOptions& options) {
    const auto& okPositions = batch.okPositions;
    std::vector<ImageResult> results(batch.errors.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        results[i].error = batch.errors[i];
    }
    if (okPositions.empty() || !batchError.empty()) {
        for (std::size_t k : okPositions) {
            results[k].error = batchError;
        }
        return results;
    }
    const std::size_t count = std::size_t(samples) * classes;
    // On a GPU the summaries are computed there; the samples come over only when kept.
    const bool onDevice = output.probabilities.is_cuda();
    std::vector<ImageSummary> deviceSummaries;
    std::vector<bool> finite;
    torch::Tensor host = output.probabilities;
    if (onDevice) {
        deviceSummaries = summarizeOnDevice(
            output.probabilities.view({int64_t(okPositions.size()), samples, classes}),
            options.summary, finite, threads);
        host = options.keepRawSamples ? output.probabilities.to(torch::kCPU).contiguous()
                                      : torch::Tensor();
    }
    parallelFor(okPositions.size(), threads, 32, [&](std::size_t first, std::size_t last) {
        for (std::size_t k = first; k < last; ++k) {
            ImageResult& result = results[okPositions[k]];
            const float* rows = host.defined() ? host.data_ptr<float>() + k * count : nullptr;
            if (onDevice ? !finite[k] : !std::all_of(rows, rows + count, [](float p) {
                    return std::isfinite(p);
                })) {
                result.error = "the model's output is not finite (NaN or Inf) for this image";
                continue;
            }
            result.ok = true;
            result.summary = onDevice ? std::move(deviceSummaries[k])
                                      : summarizeSamples(rows, samples, classes, options.summary);
            if (output.logitVariance.defined()) {
                const float* variance = output.logitVariance.data_ptr<float>() + k * copies;
                result.summary.hasLogitVariance = true;
                result.summary.logitVariance =
                    std::accumulate(variance, variance + copies, 0.0) / copies;
            }
            if (options.keepRawSamples) {
                result.rawSamples.assign(rows, rows + count);
            }
        }
    });
    return results;
}

}  // namespace ue
