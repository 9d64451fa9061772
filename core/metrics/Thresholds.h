#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "metrics/ImageSummary.h"

namespace ue {

// Per-class thresholds from a validation set: for each class, the q-th percentile (linear
// interpolation, numpy's default) of that class's mean probability over the validation images
// correctly classified (argmax) as it. A class no validation image was correctly classified as
// gets threshold 0 (never rejects) and support 0.
struct ClassThresholds {
    double percentile = 10.0;
    std::vector<float> thresholds;     // one per class
    std::vector<std::size_t> support;  // correctly classified validation images per class
};

class ThresholdCollector {
  public:
    explicit ThresholdCollector(std::size_t classes = 0) : probabilities_(classes) {}
    void add(const ImageSummary& summary, int label);
    // Cheap to call again (a slider, a sweep over q): each class is sorted once.
    ClassThresholds compute(double percentile) const;

  private:
    mutable std::vector<std::vector<float>> probabilities_;  // sorted when sorted_
    mutable bool sorted_ = true;
};

// The threshold rule: the argmax class wins when its mean probability is at least its class's
// threshold; below it the image is unclassified (kUnclassified).
int thresholdRule(const ImageSummary& summary, const std::vector<float>& thresholds);

}  // namespace ue
