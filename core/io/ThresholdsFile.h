#pragma once
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
    AugmentPolicy augmentation;  // the TTA whose means the thresholds come from, if any
    std::vector<std::string> classes;
    ClassThresholds values;
};

inline constexpr const char* kThresholdsFormat = "uncertainty-explorer-thresholds/1";

void saveThresholds(const ThresholdsFile& file, const std::string& path);  // atomic
// Throws Error naming the file and the problem; checks the classes equal `expectedClasses`.
ThresholdsFile loadThresholds(const std::string& path,
                              const std::vector<std::string>& expectedClasses);

}  // namespace ue
