#include "data/Shards.h"

#include <cstdlib>
#include <stdexcept>

#include "engine/RandomStreams.h"

namespace ue {
namespace {

constexpr int kMaxShards = 1000000;

bool parseCount(const std::string& text, long& value) {
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
        return false;
    }
    value = std::strtol(text.c_str(), nullptr, 10);
    return true;
}

}  // namespace

Shard parseShard(const std::string& text) {
    const auto slash = text.find('/');
    long index = 0;
    long count = 0;
    if (slash == std::string::npos || !parseCount(text.substr(0, slash), index) ||
        !parseCount(text.substr(slash + 1), count)) {
        throw std::invalid_argument("shard \"" + text +
                                    "\" is not i/n (e.g. 0/4: the first of four shards)");
    }
    if (count < 1 || count > kMaxShards) {
        throw std::invalid_argument("shard \"" + text + "\": n must be between 1 and " +
                                    std::to_string(kMaxShards));
    }
    if (index >= count) {
        throw std::invalid_argument("shard \"" + text +
                                    "\": i counts from 0, so it must be below " +
                                    std::to_string(count));
    }
    return {static_cast<int>(index), static_cast<int>(count)};
}

int shardOf(const std::string& imageName, int count) {
    // FNV-1a alone leaves nearby names (00001.png, 00002.png) in related residues; SplitMix
    // spreads them evenly.
    const std::uint64_t mixed = streamSeed(0, imageStreamKey(imageName), 0, 0);
    return static_cast<int>(mixed % static_cast<std::uint64_t>(count));
}

}  // namespace ue
