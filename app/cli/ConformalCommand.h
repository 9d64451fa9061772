#pragma once
#include <string>
#include <vector>

#include "CliCommon.h"

namespace ue::cli {

// `uncertainty-cli conformal`: split conformal prediction sets (LAC and/or APS) calibrated on
// a labelled validation set at miscoverage α, applied to the inputs; empirical coverage and the
// set-size distribution.
struct ConformalCommand {
    std::string model;
    std::vector<std::string> validation;
    std::vector<std::string> inputs;
    // Instead of validation / inputs: finished results CSVs (no inference).
    std::vector<std::string> validationResults;
    std::vector<std::string> inputResults;
    RunArgs runArgs;
    double alpha = 0.1;
    std::string score = "both";
    std::string out;
    std::string sizesOut;
    bool quiet = false;

    CLI::App* add(CLI::App& app);
    int run() const;
};

}  // namespace ue::cli
