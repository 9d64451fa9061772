#pragma once
// A results CSV (written by `analyze` or `merge`) read back, so that the set-level analyses
// (thresholds, calibration, OOD, conformal) run on finished results without new inference.
#include <string>
#include <vector>

#include "engine/McEngine.h"

namespace ue {

struct ResultsTable {
    std::vector<std::string> classes;  // from the mean_<class> columns, in order
    // One per row, in file order. A summary holds what the CSV holds: the samples count, the
    // class means, every score and the argmax and median-rule predictions; not the medians,
    // quantiles or histograms, which the CSV does not carry.
    std::vector<ImageResult> rows;
};

// Throws std::runtime_error naming the file (and the record and column) when it is not a results
// CSV: a missing column, a number that does not parse, a class or label it does not know.
ResultsTable readResultsCsv(const std::string& path);

}  // namespace ue
