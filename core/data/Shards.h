#pragma once
// Splitting a run's inputs between machines: shard i of n takes the images whose name
// (ImageEntry::name) hashes to i, so which shard an image lands in depends only on its name and
// n: not on the order a folder lists in, on what else is in it, or on where it is mounted.
#include <string>

namespace ue {

struct Shard {
    int index = 0;  // 0-based, as Slurm array task ids and Kubernetes completion indexes are
    int count = 1;
};

// "i/n" with 0 <= i < n; throws std::invalid_argument saying what is wrong.
Shard parseShard(const std::string& text);

// The shard (0 .. count-1) an image belongs to.
int shardOf(const std::string& imageName, int count);

}  // namespace ue
