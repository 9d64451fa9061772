#include "engine/BatchRunner.h"

#include "engine/AutocastGuard.h"

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

BatchOutput BatchRunner::run(const torch::Tensor& inputs, const std::atomic<bool>* cancel) {
    std::vector<torch::Tensor> probabilities;
    std::vector<torch::Tensor> variances;
    for (const auto& member : model_.members) {
        torch::Tensor memberProbabilities;
        torch::Tensor memberVariances;
        if (!runMember(member, inputs, cancel, memberProbabilities, memberVariances)) {
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

bool BatchRunner::runMember(const MemberModel& member, const torch::Tensor& inputs,
                            const std::atomic<bool>* cancel, torch::Tensor& probabilities,
                            torch::Tensor& variances) {
    AutocastGuard autocast(options_.precision, device_.is_cuda());
    const bool cached = cachesEncoder(member, options_);
    const torch::Tensor source = cached ? encodeInChunks(member, inputs) : inputs;
    member.setMonteCarlo(options_.method == Method::McDropout);
    const int64_t rows = source.size(0) * shape_.passes;
    std::vector<torch::Tensor> probabilityChunks;
    std::vector<torch::Tensor> varianceChunks;
    for (int64_t first = 0; first < rows;) {
        if (cancel && cancel->load()) {
            return false;
        }
        const int64_t last = std::min<int64_t>(rows, first + shape_.rowsPerBatch);
        try {
            chunk(member, cached, source, first, last, probabilityChunks, varianceChunks);
        } catch (const std::exception& e) {
            if (!device_.is_cuda() || !isOutOfMemory(e) || shape_.rowsPerBatch == 1) {
                throw;
            }
            shape_.rowsPerBatch = std::max(1, shape_.rowsPerBatch / 2);
            continue;
        }
        first = last;
    }
    probabilities = probabilityChunks.size() == 1 ? probabilityChunks.front()
                                                  : torch::cat(probabilityChunks, 0);
    if (!varianceChunks.empty()) {
        variances =
            varianceChunks.size() == 1 ? varianceChunks.front() : torch::cat(varianceChunks, 0);
    }
    return true;
}

void BatchRunner::chunk(const MemberModel& member, bool cached, const torch::Tensor& source,
                        int64_t first, int64_t last, std::vector<torch::Tensor>& probabilities,
                        std::vector<torch::Tensor>& variances) {
    // Row r is pass r % T of input r / T: each input's passes stay contiguous.
    const auto inputOfRow =
        torch::arange(first, last, torch::TensorOptions(torch::kLong).device(device_))
            .floor_divide(shape_.passes);
    const auto batch = source.index_select(0, inputOfRow);
    const ModelOutput output = cached ? member.head(batch) : member.forward(batch);
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
        torch::randn({logits.size(0), shape_.draws, logits.size(1)}, logits.options());
    const auto drawn = logits.unsqueeze(1) + sigma * noise;
    probabilities.push_back(torch::softmax(drawn, 2).mean(1));
    variances.push_back(logVariance.exp().mean(1));
}

// The encoder sees whole inputs: cap how many at once so it stays in the budget too.
torch::Tensor BatchRunner::encodeInChunks(const MemberModel& member, const torch::Tensor& inputs) {
    member.setMonteCarlo(false);
    std::vector<torch::Tensor> parts;
    for (int64_t first = 0; first < inputs.size(0); first += shape_.encodeRows) {
        parts.push_back(member.encode(inputs.slice(0, first, first + shape_.encodeRows)));
    }
    return parts.size() == 1 ? parts.front() : torch::cat(parts, 0);
}

}  // namespace ue
