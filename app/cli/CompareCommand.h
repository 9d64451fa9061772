#pragma once
#include <string>
#include <vector>

#include "CliCommon.h"

namespace ue::cli {

// `uncertainty-cli compare -i IN... [--ood DIR...] (--methods FILE | --add SPEC...) -o table.csv`:
// runs every method on the same images and prints and writes one row of set-level numbers per
// method (accuracy, NLL, Brier, ECE, AURC, OOD AUROC, mean uncertainties, speed).
struct CompareCommand {
    std::vector<std::string> inputs;
    std::vector<std::string> oodInputs;
    std::string methodsFile;
    std::vector<std::string> added;
    std::string out;
    std::string perImage;
    std::uint64_t seed = 0;
    CLI::Option* seedOption = nullptr;
    int threads = 0;
    std::string device = "auto";
    bool quiet = false;

    CLI::App* add(CLI::App& app);
    int run() const;
};

}  // namespace ue::cli
