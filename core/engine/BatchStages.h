#pragma once
// Private to the engine: the stages a batch goes through around the forward passes. Decoding and
// packing run on the decode thread, ahead of inference; summarising runs after it.
#include <string>
#include <vector>

#include "engine/BatchRunner.h"
#include "engine/InputSource.h"

namespace ue {

// Decodes [begin, end) on up to `threads` threads; each thread takes a contiguous part.
std::vector<DecodedImage> decodeInParallel(const InputSource& source, std::size_t begin,
                                           std::size_t end, int threads);

// A batch ready for the forward passes: the usable inputs packed into one host tensor (pinned
// for a GPU, so the upload is asynchronous), and what failed. Made on the decode thread, so
// packing overlaps the previous batch's inference.
struct PackedBatch {
    std::vector<std::string> errors;  // per image; empty when usable
    std::vector<std::size_t> okPositions;
    torch::Tensor inputs;  // [usable x copies, C, H, W]
    std::string error;     // the whole batch cannot be used
};

// The copies run in parallel because for large inputs (224 x 224 RGB) they cost more than the
// forward pass.
PackedBatch packBatch(std::vector<DecodedImage> decoded, const InputSpec& spec, std::size_t copies,
                      bool pinned, int threads);

// The results of a batch's images (index, path and label left to the caller): summaries
// computed in parallel on the host, or on the GPU where the probabilities are; `samples` per
// image, `copies` of which each input had.
std::vector<ImageResult> summarizeBatch(const PackedBatch& batch, const BatchOutput& output,
                                        const std::string& batchError, int samples, int copies,
                                        int classes, int threads, const RunOptions& options);

}  // namespace ue
