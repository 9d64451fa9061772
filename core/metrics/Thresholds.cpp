#include "metrics/Thresholds.h"

#include <algorithm>

namespace ue {

void ThresholdCollector::add(const ImageSummary& summary, int label) {
    if (label < 0 || std::size_t(label) >= probabilities_.size() ||
        summary.argmaxPrediction != label) {
        return;
    }
    probabilities_[label].push_back(summary.mean[label]);
    sorted_ = false;
}

ClassThresholds ThresholdCollector::compute(double percentile) const {
    ClassThresholds out;
    out.percentile = percentile;
    if (!sorted_) {
        for (auto& values : probabilities_) {
            std::sort(values.begin(), values.end());
        }
        sorted_ = true;
    }
    for (const auto& values : probabilities_) {
        out.support.push_back(values.size());
        if (values.empty()) {
            out.thresholds.push_back(0.0f);
            continue;
        }
        out.thresholds.push_back(float(quantileSorted(values, percentile / 100.0)));
    }
    return out;
}

int thresholdRule(const ImageSummary& summary, const std::vector<float>& thresholds) {
    const int best = summary.argmaxPrediction;
    if (best < 0 || std::size_t(best) >= thresholds.size()) {
        return kUnclassified;
    }
    return summary.mean[best] >= thresholds[best] ? best : kUnclassified;
}

}  // namespace ue
