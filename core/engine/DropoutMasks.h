#pragma once
// The dropout masks of a per-image run come from a counter-based hash, not from a generator's
// sequence: whether element j of the l-th dropout call in pass t of an input is kept is a pure
// function of (the input's stream seed, t, l, j). LibTorch draws each mask element from its
// Mersenne Twister one at a time (~20 ns); this costs about a nanosecond, vectorises, and does
// not depend on how the passes are cut into batches. tests/cli/torch_oracle.py replays it in
// numpy.
#include <cstdint>

#include "SplitMix64.h"

namespace ue {

// Wellons' lowbias32: a 32-bit integer hash with good avalanche, two multiplies.
constexpr std::uint32_t lowBias32(std::uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

// The key of pass `pass` of the input whose stream seed is `streamSeed` (RandomStreams.h).
constexpr std::uint64_t dropoutPassKey(std::uint64_t streamSeed, std::uint64_t pass) {
    return splitMix64(streamSeed ^ pass);
}

// The key of the `layer`-th dropout call (0, 1, ... in the order the model runs them) of a pass.
constexpr std::uint64_t dropoutLayerKey(std::uint64_t passKey, std::uint64_t layer) {
    return splitMix64(passKey ^ layer);
}

// 32 uniform bits for element `element` of a row (a row's elements in memory order; a channel,
// for feature dropout) under `layerKey`.
constexpr std::uint32_t dropoutBits(std::uint64_t layerKey, std::uint32_t element) {
    const auto low = static_cast<std::uint32_t>(layerKey);
    const auto high = static_cast<std::uint32_t>(layerKey >> 32);
    return lowBias32(lowBias32(element * 0x9e3779b9U + low) ^ high);
}

// How one dropout call scales: an element whose bits are at least `keepFrom` is multiplied by
// `keptScale`, the others by 0 (a multiply, as LibTorch's input * mask, so NaN stays NaN).
struct DropoutScale {
    std::uint32_t keepFrom = 0;
    float keptScale = 1.0F;
};

// Drop probability p, to within 2^-32: the first floor(p * 2^32) bit patterns drop. p = 1 drops
// everything (kept scale 0), p = 0 nothing. The kept scale is 1 / (1 - p) in float, as
// LibTorch's dropout divides its float mask by (1 - p).
constexpr DropoutScale dropoutScale(double p) {
    if (!(p > 0.0)) {
        return {0, 1.0F};
    }
    if (p >= 1.0) {
        return {0, 0.0F};
    }
    return {static_cast<std::uint32_t>(p * 4294967296.0), 1.0F / static_cast<float>(1.0 - p)};
}

}  // namespace ue
