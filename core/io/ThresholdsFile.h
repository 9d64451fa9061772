#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "augment/AugmentPolicy.h"
#include "metrics/Thresholds.h"

namespace ue {

// Thresholds on disk (JSON), tied to the model's name and classes so they are not applied to
// another model by mistake.
struct ThresholdsFile {
    std::string model;
    std::string method;
    int samples = 0;
    std::optional<std::uint64_t> seed;  // of the validation run; files from before it lack one
    AugmentPolicy augmentation;         // the TTA whose means the thresholds come from, if any
    std::vector<std::string> classes;
    ClassThresholds values;
};

inline constexpr const char* kThresholdsFormat = "uncertainty-explorer-thresholds/1";
// The method recorded for thresholds computed from finished results files.
inline constexpr const char* kThresholdsFromResults = "from results files";

void saveThresholds(const ThresholdsFile& file, const std::string& path);  // atomic
// Throws Error naming the file and the problem; checks the classes equal `expectedClasses`.
ThresholdsFile loadThresholds(const std::string& path,
                              const std::vector<std::string>& expectedClasses);

// The run that thresholds are applied to, as a thresholds file records its own.
struct ThresholdsRun {
    std::string model;   // the bundle's (or ensemble's) name
    std::string method;  // toString(Method)
    int samples = 0;     // passes per copy (RunOptions::passesPerCopy)
    AugmentPolicy augmentation;
};

// How `run` differs from the run `file` was computed from, one sentence each ("computed for
// model \"a\", this run uses model \"b\""): the model's name, the method, T (when the methods
// agree), the test-time augmentation. Means from another model or method are on another scale,
// so its thresholds may reject too much or too little. What the file does not record (older
// files; the method, T and augmentation of thresholds made from results files) is not compared.
// loadThresholds already refuses other classes.
std::vector<std::string> thresholdsRunDifferences(const ThresholdsFile& file,
                                                  const ThresholdsRun& run);

}  // namespace ue
