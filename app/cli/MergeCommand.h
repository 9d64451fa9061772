#pragma once
#include <string>
#include <vector>

#include "CliCommon.h"

namespace ue::cli {

// `uncertainty-cli merge`: the results CSVs of `analyze --shard i/n` (every i) put back together
// into exactly the file one `analyze` run would have written.
struct MergeCommand {
    std::vector<std::string> shards;
    std::string out;

    CLI::App* add(CLI::App& app);
    int run() const;
};

}  // namespace ue::cli
