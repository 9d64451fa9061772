#pragma once
#include <string>
#include <vector>

#include "CliCommon.h"

namespace ue::cli {

// `uncertainty-cli calibration`: reliability bins (equal width and equal mass) with both ECEs,
// NLL and Brier, and the risk-coverage curve and AURC of every score.
struct CalibrationCommand {
    std::string model;
    std::vector<std::string> inputs;
    std::vector<std::string> results;  // instead of inputs: finished results CSVs
    RunArgs runArgs;
    int bins = 15;
    std::string out;
    std::string riskCoverageOut;
    std::string scoresOut;
    bool quiet = false;

    CLI::App* add(CLI::App& app);
    int run() const;
};

}  // namespace ue::cli
