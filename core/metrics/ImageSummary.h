#pragma once
#include <cstdint>
#include <vector>

#include "Labels.h"

namespace ue {

struct SummaryOptions {
    int histogramBins = 20;  // equal-width bins on [0,1]
};

// Everything one image's T x C probabilities say, in a fixed size that does not grow with T.
// Entropies are in nats. Per-class vectors have one entry per class.
struct ImageSummary {
    int samples = 0;
    int classes = 0;
    std::vector<float> mean;
    std::vector<float> median;
    std::vector<float> stddev;  // population standard deviation over the passes
    std::vector<float> q10, q25, q75, q90;
    int histogramBins = 0;
    std::vector<std::uint32_t> histograms;  // classes x bins, row-major

    double predictiveEntropy = 0;  // H[mean p]
    double expectedEntropy = 0;    // E_t H[p_t] (aleatoric)
    double mutualInformation = 0;  // H[mean p] - E_t H[p_t] (epistemic)
    // Epistemic spread: the variance of each class's probability over the samples, averaged
    // over the classes.
    double probabilityVariance = 0;
    // Heteroscedastic models only: the predicted variance of the logits, exp(log variance),
    // averaged over the classes and the passes (aleatoric, in squared logit units).
    bool hasLogitVariance = false;
    double logitVariance = 0;
    double variationRatio = 0;  // 1 - (passes voting for the modal class) / T
    double margin = 0;          // top1 - top2 of the mean probabilities
    double maxProbability = 0;  // top1 of the mean probabilities

    int argmaxPrediction = 0;                  // argmax of the mean probabilities
    int medianRulePrediction = kUnclassified;  // see medianRule()

    std::uint32_t histogramCount(int cls, int bin) const {
        return histograms[static_cast<std::size_t>(cls) * histogramBins + bin];
    }
};

// Summarises `probs`, T rows of C probabilities (row-major). T >= 1, C >= 1.
ImageSummary summarizeSamples(const float* probs, int samples, int classes,
                              const SummaryOptions& options = {});

// The predictions and confidences that follow from the per-class means and medians: argmax,
// max probability, margin and the median rule (for summaries computed elsewhere, e.g. on a GPU).
void fillPredictions(ImageSummary& summary);

// The q-quantile (0..1) with linear interpolation between order statistics (numpy's default).
// `sorted` must be ascending and non-empty.
double quantileSorted(const std::vector<float>& sorted, double q);
double quantileSorted(const std::vector<double>& sorted, double q);

// Shannon entropy in nats, with 0 log 0 = 0.
double entropy(const float* p, int classes);
double entropy(const double* p, int classes);

// A class wins only if its median probability is > 0.5 and strictly above every other class's
// median; otherwise the image is unclassified (kUnclassified).
int medianRule(const std::vector<float>& medians);

// Index of the largest value; the first one on ties.
int argmax(const std::vector<float>& values);

}  // namespace ue
