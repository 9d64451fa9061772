#include "metrics/SetMetrics.h"

#include <algorithm>
#include <cmath>

#include "metrics/Thresholds.h"

namespace ue {

int eceBinIndex(double confidence, int bins) {
    const int index = static_cast<int>(std::ceil(confidence * bins)) - 1;
    return std::min(std::max(index, 0), bins - 1);
}

SetMetricsAccumulator::SetMetricsAccumulator(int eceBins) : bins_(std::max(eceBins, 1)) {}

void SetMetricsAccumulator::add(const ImageSummary& s, int label) {
    ++images_;
    predictiveEntropy_ += s.predictiveEntropy;
    expectedEntropy_ += s.expectedEntropy;
    mutualInformation_ += s.mutualInformation;
    variationRatio_ += s.variationRatio;
    margin_ += s.margin;
    if (s.hasLogitVariance) {
        ++logitVarianceImages_;
        logitVariance_ += s.logitVariance;
    }
    if (label < 0 || label >= s.classes) {
        return;
    }
    ++labelled_;
    const bool correct = s.argmaxPrediction == label;
    correct_ += correct;
    if (s.medianRulePrediction != kUnclassified) {
        ++covered_;
        coveredCorrect_ += s.medianRulePrediction == label;
    }
    if (!thresholds_.empty()) {
        const int predicted = thresholdRule(s, thresholds_);
        if (predicted != kUnclassified) {
            ++thresholdCovered_;
            thresholdCoveredCorrect_ += predicted == label;
        }
    }
    nll_ -= std::log(std::max(double(s.mean[label]), 1e-12));
    double brier = 0.0;
    for (int c = 0; c < s.classes; ++c) {
        const double target = c == label ? 1.0 : 0.0;
        brier += (s.mean[c] - target) * (s.mean[c] - target);
    }
    brier_ += brier;
    Bin& bin = bins_[eceBinIndex(s.maxProbability, int(bins_.size()))];
    ++bin.count;
    bin.confidence += s.maxProbability;
    bin.correct += correct;
}

SetMetrics SetMetricsAccumulator::result() const {
    SetMetrics m;
    m.images = images_;
    m.labelled = labelled_;
    m.eceBins = static_cast<int>(bins_.size());
    if (images_ > 0) {
        const double n = double(images_);
        m.meanPredictiveEntropy = predictiveEntropy_ / n;
        m.meanExpectedEntropy = expectedEntropy_ / n;
        m.meanMutualInformation = mutualInformation_ / n;
        m.meanVariationRatio = variationRatio_ / n;
        m.meanMargin = margin_ / n;
    }
    m.logitVarianceImages = logitVarianceImages_;
    if (logitVarianceImages_ > 0) {
        m.meanLogitVariance = logitVariance_ / double(logitVarianceImages_);
    }
    if (labelled_ == 0) {
        return m;
    }
    const double n = double(labelled_);
    m.accuracy = correct_ / n;
    m.medianRuleCoverage = covered_ / n;
    m.medianRuleCoveredAccuracy = covered_ ? double(coveredCorrect_) / covered_ : 0.0;
    m.hasThresholdRule = !thresholds_.empty();
    m.thresholdRuleCoverage = thresholdCovered_ / n;
    m.thresholdRuleCoveredAccuracy =
        thresholdCovered_ ? double(thresholdCoveredCorrect_) / thresholdCovered_ : 0.0;
    m.nll = nll_ / n;
    m.brier = brier_ / n;
    for (const Bin& bin : bins_) {
        if (bin.count > 0) {
            m.ece +=
                (bin.count / n) * std::abs(bin.correct / bin.count - bin.confidence / bin.count);
        }
    }
    return m;
}

}  // namespace ue
