#pragma once
// Private to the engine's torch translation units.
#include <atomic>
#include <cstdint>
#include <vector>

#include "engine/DeviceSummaries.h"
#include "engine/McEngine.h"
#include "model/ModelBundleImpl.h"

namespace ue {

// summarizeOnDevice (DeviceSummaries.h) on a [images, samples, classes] tensor, where it is.
std::vector<ImageSummary> summarizeOnDevice(const torch::Tensor& probabilities,
                                            const SummaryOptions& options,
                                            std::vector<bool>& finite, int threads);

// Whether a member runs its encoder once per input and only its head per pass.
bool cachesEncoder(const MemberModel& member, const RunOptions& options);
// Whether every member does.
bool cachesEncoder(const ModelBundle::Impl& model, const RunOptions& options);

// A batch's samples, on the run's device. Per input (an image, or one augmented copy of it) the
// rows are member-major, then pass: members x T rows of C probabilities (for a heteroscedastic
// model, each the mean of the pass's K logit draws through softmax).
struct BatchOutput {
    torch::Tensor probabilities;  // [inputs x members x T, C], float32, contiguous
    torch::Tensor logitVariance;  // [inputs] on the CPU: exp(log variance); undefined if none
};

// The random stream of one input of a batch: the image's key (imageStreamKey of its name) and
// which augmented copy of it the input is.
struct InputStream {
    std::uint64_t imageKey = 0;
    int copy = 0;
};

// Runs every member of a bundle over a batch of preprocessed inputs, T passes each (and K
// logit draws per pass for a heteroscedastic model), in row chunks so the replicated rows never
// exist all at once. A GPU that runs out of memory gets smaller chunks rather than a failed run.
// Given one stream per input, each input's draws come from its own seeded stream (its passes
// run apart from other inputs' when the passes are random); without, from the run's one stream.
class BatchRunner {
  public:
    struct Shape {
        int passes = 1;  // T per member
        int draws = 1;   // K logit samples per pass (heteroscedastic), else 1
        int rowsPerBatch = 1;
        int encodeRows = 1;  // whole inputs per encoder call
        // Per-input runs on the CPU: inputs run side by side on this many threads, each call on
        // one intra-op thread (fewer inputs than workers share `threads` between them). 1: one
        // input after another on the intra-op threads already set.
        int inputWorkers = 1;
        int threads = 1;
    };

    BatchRunner(const ModelBundle::Impl& model, const RunOptions& options, Shape shape,
                torch::Device device);

    // Empty probabilities when cancelled. `streams`: one per input, or empty (per batch).
    BatchOutput run(const torch::Tensor& inputs, const std::vector<InputStream>& streams,
                    const std::atomic<bool>* cancel);
    int rowsPerBatch() const { return shape_.rowsPerBatch; }

  private:
    // One member's [inputs x T, C] probabilities and [inputs x T] logit variances.
    bool runMember(const MemberModel& member, int memberIndex, const torch::Tensor& inputs,
                   const std::vector<InputStream>& streams, const std::atomic<bool>* cancel,
                   torch::Tensor& probabilities, torch::Tensor& variances);
    // Each input's encoding, alone, on the input workers.
    torch::Tensor encodeEach(const MemberModel& member, const torch::Tensor& inputs);
    // Each input's passes from its own stream, on the input workers.
    bool runEachInput(const MemberModel& member, bool cached, const torch::Tensor& source,
                      const std::atomic<bool>* cancel, std::vector<torch::Tensor>& probabilities,
                      std::vector<torch::Tensor>& variances);
    // Rows [first, last) in chunks of at most rowsPerBatch. Logit draws from `draws`, or from
    // LibTorch's default generator when it is null.
    bool runRows(const MemberModel& member, bool cached, const torch::Tensor& source, int64_t first,
                 int64_t last, const std::atomic<bool>* cancel,
                 std::vector<torch::Tensor>& probabilities, std::vector<torch::Tensor>& variances,
                 at::Generator* draws = nullptr);
    // Probabilities [rows, C] (and variances [rows]) for rows [first, last).
    void chunk(const MemberModel& member, bool cached, const torch::Tensor& source, int64_t first,
               int64_t last, std::vector<torch::Tensor>& probabilities,
               std::vector<torch::Tensor>& variances, at::Generator* draws);
    // The model's output for rows [first, last), with hashed dropout masks in a per-input run.
    ModelOutput runModel(const MemberModel& member, bool cached, const torch::Tensor& batch,
                         int64_t first, int64_t last);
    torch::Tensor encodeInChunks(const MemberModel& member, const torch::Tensor& inputs,
                                 int64_t rows);

    const ModelBundle::Impl& model_;
    const RunOptions& options_;
    Shape shape_;
    torch::Device device_;
    std::vector<std::uint64_t> streamSeeds_;  // the current member's, one per input
    bool hashedDropout_ = false;  // per-input MC passes: dropout masks from DropoutMasks.h
};

}  // namespace ue
