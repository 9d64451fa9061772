#include "MergeCommand.h"

#include <fstream>
#include <iostream>
#include <stdexcept>

#include "io/AtomicFile.h"
#include "io/CsvReader.h"
#include "io/ShardManifest.h"
#include "io/SmallTextFile.h"

namespace ue::cli {
namespace {

struct ShardFile {
    std::string path;
    ShardManifest manifest;
};

// Every shard of one run, each once: otherwise says which are missing, repeated or foreign.
void checkShardsBelongTogether(const std::vector<ShardFile>& files) {
    const ShardManifest& first = files.front().manifest;
    std::vector<std::string> seen(std::size_t(first.shards));
    for (const ShardFile& file : files) {
        const ShardManifest& m = file.manifest;
        if (m.shards != first.shards || m.inputs != first.inputs) {
            throw std::runtime_error(file.path + " is shard " + std::to_string(m.shard) + " of " +
                                     std::to_string(m.shards) + " over " +
                                     std::to_string(m.inputs) + " images, " + files.front().path +
                                     " of " + std::to_string(first.shards) + " over " +
                                     std::to_string(first.inputs));
        }
        if (m.run != first.run) {
            throw std::runtime_error(file.path + " comes from another run than " +
                                     files.front().path + ": " + m.run + " vs " + first.run);
        }
        std::string& owner = seen[std::size_t(m.shard)];
        if (!owner.empty()) {
            throw std::runtime_error("shard " + std::to_string(m.shard) +
                                     " is given twice: " + owner + " and " + file.path);
        }
        owner = file.path;
    }
    std::string missing;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        if (seen[i].empty()) {
            missing += (missing.empty() ? "" : ", ") + std::to_string(i);
        }
    }
    if (!missing.empty()) {
        throw std::runtime_error("missing shard(s) " + missing + " of " +
                                 std::to_string(first.shards));
    }
}

}  // namespace

CLI::App* MergeCommand::add(CLI::App& app) {
    auto* command = app.add_subcommand(
        "merge",
        "Combine the results CSVs of `analyze --shard i/n` (all n of them, any order) into the "
        "CSV a single run writes, byte for byte");
    command->add_option("shards", shards, "Shard results CSVs (each with its .shard.json)")
        ->required();
    command->add_option("-o,--out", out, "Merged results CSV")->required();
    return command;
}

int MergeCommand::run() const {
    std::vector<ShardFile> files;
    for (const std::string& path : shards) {
        files.push_back({path, loadShardManifest(shardManifestPath(path))});
    }
    checkShardsBelongTogether(files);

    const std::size_t inputs = files.front().manifest.inputs;
    std::vector<std::string> rows(inputs);
    std::vector<bool> filled(inputs, false);
    std::string header;
    std::size_t failed = 0;
    for (const ShardFile& file : files) {
        requireRegularFile(file.path, "results CSV");
        std::ifstream in(file.path, std::ios::binary);
        if (!in) {
            throw std::runtime_error(file.path + ": cannot be read");
        }
        CsvReader reader(in);
        CsvRecord record;
        if (!reader.next(record)) {
            throw std::runtime_error(file.path + ": empty, not a results CSV");
        }
        if (header.empty()) {
            header = record.raw;
        } else if (record.raw != header) {
            throw std::runtime_error(file.path + ": its columns differ from " + files.front().path +
                                     "'s");
        }
        const auto& positions = file.manifest.positions;
        std::size_t row = 0;
        while (reader.next(record)) {
            if (row >= positions.size()) {
                throw std::runtime_error(file.path + " has more rows than its .shard.json lists (" +
                                         std::to_string(positions.size()) + ")");
            }
            const std::size_t position = positions[row++];
            if (filled[position]) {
                throw std::runtime_error(file.path + ": image " + std::to_string(position) +
                                         " is in two shards");
            }
            failed += record.cells.size() > 2 && record.cells[2] == "error" ? 1 : 0;
            rows[position] = std::move(record.raw);
            filled[position] = true;
        }
        if (row != positions.size()) {
            throw std::runtime_error(file.path + " has " + std::to_string(row) +
                                     " rows where its .shard.json lists " +
                                     std::to_string(positions.size()));
        }
    }
    std::size_t unfinished = 0;
    for (const bool done : filled) {
        unfinished += done ? 0 : 1;
    }
    if (unfinished > 0) {
        // A cancelled shard wrote what it finished: merging it would silently drop images.
        throw std::runtime_error(std::to_string(unfinished) + " of " + std::to_string(inputs) +
                                 " images have no row in any shard (a shard was cancelled or "
                                 "failed): rerun those shards");
    }
    AtomicFile merged(out);
    merged.stream() << header;
    for (const std::string& row : rows) {
        merged.stream() << row;
    }
    merged.commit();
    std::cout << "Merged " << files.size() << " shards: " << inputs << " images, " << failed
              << " failed\n\nResults    " << out << "\n";
    return kExitOk;
}

}  // namespace ue::cli
