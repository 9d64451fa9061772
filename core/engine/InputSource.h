#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ue {

// One input, ready for the model: C x H x W floats (copies x C x H x W when the source makes
// augmented copies), or why it could not be made.
struct DecodedImage {
    std::vector<float> chw;
    std::string error;  // set instead of chw when the input cannot be used
};

// Where a run's inputs come from: image files decoded on the fly, or tensors already prepared.
// decode(begin, end) is called from a worker thread, one range at a time.
struct InputSource {
    std::size_t count = 0;
    std::size_t copiesPerInput = 1;  // > 1: every input is that many augmented copies
    std::function<std::vector<DecodedImage>(std::size_t begin, std::size_t end)> decode;
    std::function<std::string(std::size_t)> path;
    // The input's random stream (imageStreamKey of its name) under per-image streams.
    std::function<std::uint64_t(std::size_t)> streamKey;
    std::function<int(std::size_t)> label;
};

}  // namespace ue
