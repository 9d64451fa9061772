#pragma once
#include <string>
#include <vector>

#include "CliCommon.h"

namespace ue::cli {

// `uncertainty-cli gamma-sweep`: every image at every γ, set-level and per-image CSV.
struct GammaSweepCommand {
    std::string model;
    std::vector<std::string> inputs;
    RunArgs runArgs;
    double minGamma = 0.2;
    double maxGamma = 3.0;
    int steps = 9;
    std::string gammaList;
    std::string thresholds;
    std::string out;
    std::string perImageOut;
    bool quiet = false;

    CLI::App* add(CLI::App& app);
    int run() const;
};

}  // namespace ue::cli
