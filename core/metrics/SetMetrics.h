#pragma once
#include <cstddef>
#include <vector>

#include "metrics/ImageSummary.h"

namespace ue {

// Over the labelled images of a set. Rates are fractions in [0,1]; NLL in nats.
struct SetMetrics {
    std::size_t images = 0;                // summaries added, labelled or not
    std::size_t labelled = 0;              // those the set-level numbers are computed on
    double accuracy = 0;                   // argmax of the mean probabilities
    double medianRuleCoverage = 0;         // share the median rule classifies
    double medianRuleCoveredAccuracy = 0;  // accuracy on that share (0 when it covers none)
    bool hasThresholdRule = false;         // per-class thresholds were given
    double thresholdRuleCoverage = 0;
    double thresholdRuleCoveredAccuracy = 0;
    double nll = 0;    // mean of -log p̄[label], p̄ clamped to >= 1e-12
    double brier = 0;  // mean over images of sum_c (p̄_c - [c = label])^2
    double ece = 0;    // expected calibration error, equal-width confidence bins
    int eceBins = 0;
    // Means of the per-image scores over all images (labelled or not).
    double meanPredictiveEntropy = 0;
    double meanExpectedEntropy = 0;
    double meanMutualInformation = 0;
    double meanVariationRatio = 0;
    double meanMargin = 0;
    // Over the images whose model predicts a logit variance (heteroscedastic).
    std::size_t logitVarianceImages = 0;
    double meanLogitVariance = 0;
};

// Streams summaries in, so a set of any size is measured in constant memory.
class SetMetricsAccumulator {
  public:
    explicit SetMetricsAccumulator(int eceBins = 15);
    // Also measure the per-class threshold rule (one threshold per class).
    void setThresholds(std::vector<float> thresholds) { thresholds_ = std::move(thresholds); }
    // `label` is a class index, or kNoLabel (-1) for an unlabelled image.
    void add(const ImageSummary& summary, int label);
    SetMetrics result() const;

  private:
    struct Bin {
        std::size_t count = 0;
        double confidence = 0;
        double correct = 0;
    };
    std::vector<Bin> bins_;
    std::size_t images_ = 0;
    std::size_t labelled_ = 0;
    std::size_t correct_ = 0;
    std::size_t covered_ = 0;
    std::size_t coveredCorrect_ = 0;
    std::vector<float> thresholds_;
    std::size_t thresholdCovered_ = 0;
    std::size_t thresholdCoveredCorrect_ = 0;
    double nll_ = 0, brier_ = 0;
    double predictiveEntropy_ = 0, expectedEntropy_ = 0, mutualInformation_ = 0;
    double variationRatio_ = 0, margin_ = 0;
    std::size_t logitVarianceImages_ = 0;
    double logitVariance_ = 0;
};

// ECE bin of a confidence in [0,1]: bins are (lo, hi], the first also takes 0.
int eceBinIndex(double confidence, int bins);

}  // namespace ue
