#pragma once
#include <string>
#include <vector>

#include "CliCommon.h"

namespace ue::cli {

// `uncertainty-cli ood --in DIR --ood DIR -o report.csv`: how well each score tells the
// out-of-distribution images from the in-distribution ones (AUROC, AUPR, FPR at 95 % TPR, ROC
// curves). -o/--out is the report, as in every other command; before, --out named the OOD images
// and -o/--report the report, so an old command line now gives --out two paths, which is refused
// with a note instead of being read another way.
struct OodCommand {
    std::string model;
    std::vector<std::string> inInputs;
    std::vector<std::string> oodInputs;
    // Instead of the inputs: finished results CSVs of each set (no inference).
    std::vector<std::string> inResults;
    std::vector<std::string> oodResults;
    std::vector<std::string> oldOodResults;  // --out-results, the hidden old name of --ood-results
    RunArgs runArgs;
    // -o/--out/--report: one path; a list, to tell an old command line (--out DIR as the OOD
    // images) from a new one.
    std::vector<std::string> reports;
    std::string rocOut;
    std::string scoresOut;
    bool quiet = false;

    CLI::App* add(CLI::App& app);
    int run() const;
};

}  // namespace ue::cli
