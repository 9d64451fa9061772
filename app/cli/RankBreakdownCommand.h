#pragma once
#include <string>
#include <vector>

#include "CliCommon.h"

namespace ue::cli {

// `uncertainty-cli rank-breakdown`: over labelled images, how often the true class ranks 1st,
// 2nd, or 3rd or lower, and each group's mean and median of every uncertainty score.
struct RankBreakdownCommand {
    std::string model;
    std::vector<std::string> inputs;
    RunArgs runArgs;
    std::string out;
    bool quiet = false;

    CLI::App* add(CLI::App& app);
    int run() const;
};

}  // namespace ue::cli
