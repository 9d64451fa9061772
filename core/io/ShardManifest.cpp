#include "io/ShardManifest.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "Error.h"
#include "io/AtomicFile.h"
#include "io/SmallTextFile.h"

namespace ue {
namespace {

constexpr const char* kFormat = "uncertainty-explorer-shard/1";

}  // namespace

std::string shardManifestPath(const std::string& resultsPath) {
    return resultsPath + ".shard.json";
}

void saveShardManifest(const ShardManifest& manifest, const std::string& path) {
    const nlohmann::json json = {{"format", kFormat},
                                 {"shard", manifest.shard},
                                 {"shards", manifest.shards},
                                 {"inputs", manifest.inputs},
                                 {"run", nlohmann::json::parse(manifest.run)},
                                 {"positions", manifest.positions}};
    AtomicFile file(path);
    file.stream() << json.dump(1) << "\n";
    file.commit();
}

ShardManifest loadShardManifest(const std::string& path) {
    // A manifest lists its shard's image positions: tens of millions of images fit.
    constexpr std::size_t kMaxManifestBytes = std::size_t(1) << 30;
    std::string text;
    try {
        text = readSmallTextFile(path, kMaxManifestBytes, "shard manifest");
    } catch (const Error& e) {
        throw std::runtime_error(std::string(e.what()) +
                                 " (each shard's results CSV needs the .shard.json that analyze "
                                 "--shard writes beside it)");
    }
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(path + ": not JSON (" + e.what() + ")");
    }
    if (!json.is_object() || json.value("format", "") != kFormat) {
        throw std::runtime_error(path + ": not a shard manifest (format \"" + kFormat + "\")");
    }
    ShardManifest manifest;
    try {
        manifest.shard = json.at("shard").get<int>();
        manifest.shards = json.at("shards").get<int>();
        manifest.inputs = json.at("inputs").get<std::size_t>();
        manifest.run = json.at("run").dump();
        manifest.positions = json.at("positions").get<std::vector<std::size_t>>();
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
    if (manifest.shards < 1 || manifest.shard < 0 || manifest.shard >= manifest.shards) {
        throw std::runtime_error(path + ": shard " + std::to_string(manifest.shard) + " of " +
                                 std::to_string(manifest.shards) + " is out of range");
    }
    for (const std::size_t position : manifest.positions) {
        if (position >= manifest.inputs) {
            throw std::runtime_error(path + ": position " + std::to_string(position) +
                                     " is past the " + std::to_string(manifest.inputs) + " inputs");
        }
    }
    return manifest;
}

}  // namespace ue
