#pragma once
#include <string>
#include <vector>

#include "CliCommon.h"

namespace ue::cli {

// `uncertainty-cli analyze`: Monte Carlo passes over images, per-image results, a summary.
// With --shard i/n only the images of shard i run, and OUT.shard.json records where each row
// belongs, for `merge`.
struct AnalyzeCommand {
    std::string model;
    std::vector<std::string> inputs;
    RunArgs run;
    std::string out;
    std::string rawOut;
    int top = 10;
    std::string rankBy = "predictive-entropy";
    std::string rankingOut;
    std::size_t memoryMb = 256;
    bool noCache = false;
    bool quiet = false;
    std::string thresholds;
    std::string thresholdReport;
    std::string shard;
    std::string randomStreams = "auto";

    CLI::App* add(CLI::App& app);
    int execute() const;
};

}  // namespace ue::cli
