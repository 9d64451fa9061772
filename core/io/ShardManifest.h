#pragma once
// What `analyze --shard i/n` writes beside its results CSV (OUT.shard.json), so that `merge`
// can put every row back where a single run would have written it and refuse shards that do not
// belong together.
#include <cstddef>
#include <string>
#include <vector>

namespace ue {

struct ShardManifest {
    int shard = 0;
    int shards = 1;
    std::size_t inputs = 0;  // images in the whole listing, every shard's together
    // Each row's position in the whole listing, in the order of the shard's CSV rows.
    std::vector<std::size_t> positions;
    // The run's settings as JSON text (model, method, T, seed, ...): shards merge only when
    // theirs are equal.
    std::string run;
};

std::string shardManifestPath(const std::string& resultsPath);

// Written atomically (temporary file, then rename).
void saveShardManifest(const ShardManifest& manifest, const std::string& path);
// Throws std::runtime_error naming the file and the field at fault.
ShardManifest loadShardManifest(const std::string& path);

}  // namespace ue
