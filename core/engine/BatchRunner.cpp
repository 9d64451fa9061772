#include "engine/BatchRunner.h"

#include "engine/AutocastGuard.h"
#include "engine/DropoutMasks.h"
#include "engine/HashedDropout.h"
#include "engine/InputWorkers.h"
#include "engine/RandomStreams.h"

namespace ue {
namespace {

bool isOutOfMemory(const std::exception& e) {
    return std::string(e.what()).find("out of memory") != std::string::npos;
}

}  // namespace

BatchRunner::BatchRunner(const ModelBundle::Impl& model, const RunOptions& options, Shape shape,
                         torch::Device device)
    : model_(model), options_(options), shape_(shape), device_(device) {}

bool cachesEncoder(const MemberModel& member, const RunOptions& options) {
    return options.method == Method::McDropout && options.useEncodeCache && member.encodeHeadUsable;
}

bool cachesEncoder(const ModelBundle::Impl& model, const RunOptions& options) {
    for (const auto& member : model.members) {
        if (!cachesEncoder(member, options)) {
            return false;
        }
    }
    return true;
}

BatchOutput BatchRunner::run(const torch::Tensor& inputs, const std::vector<InputStream>& streams,
                             const std::atomic<bool>* cancel) {
    std::vector<torch::Tensor> probabilities;
    std::vector<torch::Tensor> variances;
    for (std::size_t m = 0; m < model_.members.size(); ++m) {
        torch::Tensor memberProbabilities;
        torch::Tensor memberVariances;
        if (!runMember(model_.members[m], static_cast<int>(m), inputs, streams, cancel,
                       memberProbabilities, memberVariances)) {
            return {};
        }
        // [inputs, T, C]: one block per member, stacked member-major below.
        probabilities.push_back(
            memberProbabilities.view({inputs.size(0), -1, memberProbabilities.size(1)}));
        if (memberVariances.defined()) {
            variances.push_back(memberVariances.view({inputs.size(0), -1}).mean(1));
        }
    }
    BatchOutput output;
    const auto classes = probabilities.front().size(2);
    output.probabilities =
        (probabilities.size() == 1 ? probabilities.front() : torch::stack(probabilities, 1))
            .reshape({-1, classes})
            .contiguous();
    if (!variances.empty()) {
        output.logitVariance = torch::stack(variances, 1).mean(1).to(torch::kCPU).contiguous();
    }
    return output;
}

bool BatchRunner::runMember(const MemberModel& member, int memberIndex, const torch::Tensor& inputs,
                            const std::vector<InputStream>& streams,
                            const std::atomic<bool>* cancel, torch::Tensor& probabilities,
                            torch::Tensor& variances) {
    AutocastGuard autocast(options_.precision, device_.is_cuda());
    const bool cached = cachesEncoder(member, options_);
    const bool perInput = !streams.empty();
    // Per input, every forward call has the same shape whatever else is in the batch: kernels
    // (convolutions, GEMMs) may round differently for another batch size, and an image's
    // numbers must not depend on its neighbours.
    const torch::Tensor source =
        !cached ? inputs
                : (perInput ? encodeEach(member, inputs)
                            : encodeInChunks(member, inputs, shape_.encodeRows));
    const bool randomPasses = options_.method == Method::McDropout;
    member.setMonteCarlo(randomPasses);
    streamSeeds_.clear();
    for (const InputStream& stream : streams) {
        streamSeeds_.push_back(
            streamSeed(options_.seed, stream.imageKey, stream.copy, memberIndex));
    }
    hashedDropout_ = randomPasses && perInput;
    std::vector<torch::Tensor> probabilityChunks;
    std::vector<torch::Tensor> varianceChunks;
    if (perInput) {
        if (!runEachInput(member, cached, source, cancel, probabilityChunks, varianceChunks)) {
            return false;
        }
    } else if (!runRows(member, cached, source, 0, source.size(0) * shape_.passes, cancel,
                        probabilityChunks, varianceChunks)) {
        return false;
    }
    probabilities = probabilityChunks.size() == 1 ? probabilityChunks.front()
                                                  : torch::cat(probabilityChunks, 0);
    if (!varianceChunks.empty()) {
        variances =
            varianceChunks.size() == 1 ? varianceChunks.front() : torch::cat(varianceChunks, 0);
    }
    return true;
}

bool BatchRunner::runEachInput(const MemberModel& member, bool cached, const torch::Tensor& source,
                               const std::atomic<bool>* cancel,
                               std::vector<torch::Tensor>& probabilities,
                               std::vector<torch::Tensor>& variances) {
    // Each input's passes (and then their logit draws) from its own stream, apart from the other
    // inputs', so that what an image gets does not depend on its batch.
    const int64_t passes = shape_.passes;
    const auto inputs = std::size_t(source.size(0));
    if (shape_.inputWorkers <= 1) {
        // The model may draw from LibTorch's generator itself (Bayes-by-backprop): seed it.
        for (std::size_t input = 0; input < inputs; ++input) {
            torch::manual_seed(streamSeeds_[input]);
            if (!runRows(member, cached, source, int64_t(input) * passes,
                         int64_t(input + 1) * passes, cancel, probabilities, variances)) {
                return false;
            }
        }
        return true;
    }
    // Side by side: the model draws nothing from LibTorch's generator (McEngine checks), so
    // only the logit draws need one, the input's own, seeded as the generator would be above.
    std::vector<std::vector<torch::Tensor>> inputProbabilities(inputs);
    std::vector<std::vector<torch::Tensor>> inputVariances(inputs);
    std::atomic<bool> stopped{false};
    forEachInputInParallel(
        inputs, shape_.inputWorkers, shape_.threads, [&](std::size_t first, std::size_t last) {
            for (std::size_t input = first; input < last && !stopped.load(); ++input) {
                at::Generator draws = at::make_generator<at::CPUGeneratorImpl>(streamSeeds_[input]);
                if (!runRows(member, cached, source, int64_t(input) * passes,
                             int64_t(input + 1) * passes, cancel, inputProbabilities[input],
                             inputVariances[input], &draws)) {
                    stopped = true;
                }
            }
        });
    if (stopped.load()) {
        return false;
    }
    for (std::size_t input = 0; input < inputs; ++input) {
        probabilities.insert(probabilities.end(), inputProbabilities[input].begin(),
                             inputProbabilities[input].end());
        variances.insert(variances.end(), inputVariances[input].begin(),
                         inputVariances[input].end());
    }
    return true;
}

bool BatchRunner::runRows(const MemberModel& member, bool cached, const torch::Tensor& source,
                          int64_t first, int64_t last, const std::atomic<bool>* cancel,
                          std::vector<torch::Tensor>& probabilities,
                          std::vector<torch::Tensor>& variances, at::Generator* draws) {
    while (first < last) {
        if (cancel && cancel->load()) {
            return false;
        }
        const int64_t end = std::min<int64_t>(last, first + shape_.rowsPerBatch);
        try {
            chunk(member, cached, source, first, end, probabilities, variances, draws);
        } catch (const std::exception& e) {
            // A retried chunk draws again from where its stream stood: a GPU run that ran out of
            // memory is not draw-for-draw reproducible, only statistically.
            if (!device_.is_cuda() || !isOutOfMemory(e) || shape_.rowsPerBatch == 1) {
                throw;
            }
            shape_.rowsPerBatch = std::max(1, shape_.rowsPerBatch / 2);
            continue;
        }
        first = end;
    }
    return true;
}

void BatchRunner::chunk(const MemberModel& member, bool cached, const torch::Tensor& source,
                        int64_t first, int64_t last, std::vector<torch::Tensor>& probabilities,
                        std::vector<torch::Tensor>& variances, at::Generator* draws) {
    // Row r is pass r % T of input r / T: each input's passes stay contiguous.
    const auto inputOfRow =
        torch::arange(first, last, torch::TensorOptions(torch::kLong).device(device_))
            .floor_divide(shape_.passes);
    const auto batch = source.index_select(0, inputOfRow);
    const ModelOutput output = runModel(member, cached, batch, first, last);
    const auto logits = output.logits.to(torch::kFloat32);
    if (!output.logVariance.defined()) {
        probabilities.push_back(torch::softmax(logits, 1));
        return;
    }
    // Kendall & Gal: K logits mu + sigma * eps per pass, each through softmax, averaged: the
    // pass's predictive distribution with the aleatoric noise integrated out. Averaging here
    // keeps the draws' spread out of the spread between passes, so mutual information stays
    // the epistemic part. A [rows, 1] log variance (one per image) broadcasts over the classes.
    const auto logVariance = output.logVariance.to(torch::kFloat32);
    const auto sigma = (0.5 * logVariance).exp().unsqueeze(1);
    const auto noise =
        torch::randn({logits.size(0), shape_.draws, logits.size(1)},
                     draws ? c10::optional<at::Generator>(*draws) : c10::nullopt, logits.options());
    const auto drawn = logits.unsqueeze(1) + sigma * noise;
    probabilities.push_back(torch::softmax(drawn, 2).mean(1));
    variances.push_back(logVariance.exp().mean(1));
}

ModelOutput BatchRunner::runModel(const MemberModel& member, bool cached,
                                  const torch::Tensor& batch, int64_t first, int64_t last) {
    if (!hashedDropout_) {
        return cached ? member.head(batch) : member.forward(batch);
    }
    // Each row's dropout masks from its input's stream and its pass number alone: the same
    // whichever chunk the row falls in.
    std::vector<std::uint64_t> passKeys;
    passKeys.reserve(std::size_t(last - first));
    for (int64_t row = first; row < last; ++row) {
        passKeys.push_back(dropoutPassKey(streamSeeds_[std::size_t(row / shape_.passes)],
                                          std::uint64_t(row % shape_.passes)));
    }
    DropoutStreamsScope scope(std::move(passKeys));
    return cached ? member.head(batch) : member.forward(batch);
}

torch::Tensor BatchRunner::encodeEach(const MemberModel& member, const torch::Tensor& inputs) {
    if (shape_.inputWorkers <= 1) {
        return encodeInChunks(member, inputs, 1);
    }
    member.setMonteCarlo(false);
    std::vector<torch::Tensor> parts(std::size_t(inputs.size(0)));
    forEachInputInParallel(
        parts.size(), shape_.inputWorkers, shape_.threads,
        [&](std::size_t first, std::size_t last) {
            for (std::size_t input = first; input < last; ++input) {
                parts[input] = member.encode(inputs.slice(0, int64_t(input), int64_t(input) + 1));
            }
        });
    return torch::cat(parts, 0);
}

// The encoder sees whole inputs: cap how many at once so it stays in the budget too.
torch::Tensor BatchRunner::encodeInChunks(const MemberModel& member, const torch::Tensor& inputs,
                                          int64_t rows) {
    member.setMonteCarlo(false);
    std::vector<torch::Tensor> parts;
    for (int64_t first = 0; first < inputs.size(0); first += rows) {
        parts.push_back(member.encode(inputs.slice(0, first, first + rows)));
    }
    return parts.size() == 1 ? parts.front() : torch::cat(parts, 0);
}

}  // namespace ue
