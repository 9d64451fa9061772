// The hashed dropout masks of per-image runs (engine/DropoutMasks.h): the values the numpy
// oracle (tests/cli/torch_oracle.py's dropout_mask) computes, the drop rate, and no visible
// dependence between neighbouring elements, passes, layers or streams.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/DropoutMasks.h"

namespace ue {
namespace {

// Fraction of `count` elements of a row under `layerKey` that p = 0.5 drops.
double dropRate(std::uint64_t layerKey, std::uint32_t count, const DropoutScale& scale) {
    std::uint32_t dropped = 0;
    for (std::uint32_t j = 0; j < count; ++j) {
        dropped += dropoutBits(layerKey, j) < scale.keepFrom;
    }
    return double(dropped) / count;
}

TEST(DropoutMasks, BitsAreTheOnesTheNumpyOracleComputes) {
    // In tests/cli: /usr/bin/python3 -c "import torch_oracle as o;
    // print(o.dropout_bits(o._split_mix64(o._split_mix64(1234 ^ 5) ^ 1), 1001)[[0, 1, 1000]])"
    const std::uint64_t key = dropoutLayerKey(dropoutPassKey(1234, 5), 1);
    EXPECT_EQ(dropoutBits(key, 0), 0x76ca7d03U);
    EXPECT_EQ(dropoutBits(key, 1), 0x053f8125U);
    EXPECT_EQ(dropoutBits(key, 1000), 0xd4cb5c49U);
}

TEST(DropoutMasks, ScaleAndThresholdFollowP) {
    EXPECT_EQ(dropoutScale(0.5).keepFrom, 1U << 31);
    EXPECT_EQ(dropoutScale(0.5).keptScale, 2.0F);
    EXPECT_EQ(dropoutScale(0.25).keepFrom, 1U << 30);
    EXPECT_EQ(dropoutScale(0.3).keptScale, 1.0F / 0.7F);
    // p = 0 keeps everything unscaled; p = 1 keeps nothing (every element times 0).
    EXPECT_EQ(dropoutScale(0.0).keepFrom, 0U);
    EXPECT_EQ(dropoutScale(0.0).keptScale, 1.0F);
    EXPECT_EQ(dropoutScale(1.0).keptScale, 0.0F);
    EXPECT_EQ(dropoutScale(-1.0).keptScale, 1.0F);
}

TEST(DropoutMasks, DropRateIsPWithinSamplingError) {
    for (const double p : {0.1, 0.3, 0.5, 0.9}) {
        const auto scale = dropoutScale(p);
        const std::uint32_t count = 1 << 20;
        const double rate = dropRate(dropoutLayerKey(dropoutPassKey(99, 0), 0), count, scale);
        const double sigma = std::sqrt(p * (1 - p) / count);
        EXPECT_LT(std::abs(rate - p), 5 * sigma) << "p = " << p;
    }
}

// Of pairs (a, b) of p = 0.5 draws, how often both drop: 1/4 when they are independent.
void expectIndependent(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs,
                       const char* what) {
    const auto half = dropoutScale(0.5).keepFrom;
    double both = 0;
    for (const auto& [a, b] : pairs) {
        both += (a < half) && (b < half);
    }
    const double n = double(pairs.size());
    const double sigma = std::sqrt(0.25 * 0.75 / n);
    EXPECT_LT(std::abs(both / n - 0.25), 5 * sigma) << what;
}

TEST(DropoutMasks, NeighboursPassesLayersAndStreamsDrawIndependently) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> elements, passes, layers, streams;
    for (std::uint32_t i = 0; i < 200000; ++i) {
        const std::uint64_t seed = 1000 + i / 256;
        const std::uint32_t j = i % 256;
        const auto key = [&](std::uint64_t s, std::uint64_t pass, std::uint64_t layer) {
            return dropoutLayerKey(dropoutPassKey(s, pass), layer);
        };
        elements.emplace_back(dropoutBits(key(seed, 0, 0), j), dropoutBits(key(seed, 0, 0), j + 1));
        passes.emplace_back(dropoutBits(key(seed, 0, 0), j), dropoutBits(key(seed, 1, 0), j));
        layers.emplace_back(dropoutBits(key(seed, 0, 0), j), dropoutBits(key(seed, 0, 1), j));
        streams.emplace_back(dropoutBits(key(seed, 0, 0), j), dropoutBits(key(seed + 1, 0, 0), j));
    }
    expectIndependent(elements, "neighbouring elements");
    expectIndependent(passes, "consecutive passes");
    expectIndependent(layers, "consecutive layers");
    expectIndependent(streams, "neighbouring streams");
}

}  // namespace
}  // namespace ue
