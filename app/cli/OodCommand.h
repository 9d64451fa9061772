#pragma once
#include <string>
#include <vector>

#include "CliCommon.h"

namespace ue::cli {

// `uncertainty-cli ood --in DIR --out DIR`: how well each score tells the out-of-distribution
// images from the in-distribution ones (AUROC, AUPR, FPR at 95 % TPR, ROC curves).
struct OodCommand {
    std::string model;
    std::vector<std::string> inInputs;
    std::vector<std::string> outInputs;
    // Instead of the inputs: finished results CSVs of each set (no inference).
    std::vector<std::string> inResults;
    std::vector<std::string> outResults;
    RunArgs runArgs;
    std::string report;
    std::string rocOut;
    std::string scoresOut;
    bool quiet = false;

    CLI::App* add(CLI::App& app);
    int run() const;
};

}  // namespace ue::cli
