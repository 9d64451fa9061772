#include "engine/RandomStreams.h"

#include <stdexcept>

#include "SplitMix64.h"

namespace ue {

std::string toString(RandomStreams streams) {
    switch (streams) {
        case RandomStreams::PerImage:
            return "per-image";
        case RandomStreams::PerBatch:
            return "per-batch";
        case RandomStreams::Auto:
            break;
    }
    return "auto";
}

RandomStreams randomStreamsFromString(const std::string& name) {
    if (name == "auto") {
        return RandomStreams::Auto;
    }
    if (name == "per-image") {
        return RandomStreams::PerImage;
    }
    if (name == "per-batch") {
        return RandomStreams::PerBatch;
    }
    throw std::invalid_argument("unknown random streams \"" + name +
                                "\" (expected auto, per-image or per-batch)");
}

std::uint64_t imageStreamKey(std::string_view name) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::uint64_t streamSeed(std::uint64_t runSeed, std::uint64_t imageKey, int copy, int member) {
    std::uint64_t state = splitMix64(runSeed);
    state = splitMix64(state ^ imageKey);
    state = splitMix64(state ^ static_cast<std::uint64_t>(copy));
    return splitMix64(state ^ static_cast<std::uint64_t>(member));
}

}  // namespace ue
