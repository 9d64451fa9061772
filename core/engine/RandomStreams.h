#pragma once
// Where a run's random draws (dropout masks, logit noise, augmentation) come from. With one
// stream per image the numbers an image gets depend only on the run's seed and its name, not on
// which other images share its batch or its run: a folder split into shards and merged gives
// exactly the results of one run.
#include <cstdint>
#include <string>
#include <string_view>

namespace ue {

enum class RandomStreams {
    Auto,      // per image on a CPU; per batch on a GPU, where one call per image is slow
    PerImage,  // every image (copy, member) reseeds from (seed, name): shardable
    PerBatch,  // one stream per run, consumed in batch order: fastest on a GPU
};

std::string toString(RandomStreams streams);  // "auto", "per-image", "per-batch"
// Throws std::invalid_argument naming the accepted values.
RandomStreams randomStreamsFromString(const std::string& name);

// FNV-1a 64 of the name's bytes (ImageEntry::name, which does not depend on where the data is
// mounted): an image's identity for its random stream.
std::uint64_t imageStreamKey(std::string_view name);

// The seed of one random stream: SplitMix64 mixes the run's seed, the image's key, the
// augmented copy and the ensemble member (tests/cli/torch_oracle.py's stream_seed replays it
// for the PyTorch oracles).
std::uint64_t streamSeed(std::uint64_t runSeed, std::uint64_t imageKey, int copy, int member);

}  // namespace ue
