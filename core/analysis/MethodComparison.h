#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "analysis/MethodSpec.h"
#include "metrics/Calibration.h"
#include "metrics/OodMetrics.h"

namespace ue {

// What the comparison keeps of one image under one method: a few numbers, so every method's
// score distributions fit in memory for any set size.
struct ComparisonImage {
    std::size_t index = 0;  // position in the run's input list
    bool outOfDistribution = false;
    int label = kNoLabel;
    int prediction = 0;  // argmax of the mean probabilities
    double maxProbability = 0;
    double predictiveEntropy = 0;  // total
    double expectedEntropy = 0;    // aleatoric
    double mutualInformation = 0;  // epistemic
    double variationRatio = 0;
    double margin = 0;
    bool hasLogitVariance = false;  // the model predicts one (heteroscedastic)
    double logitVariance = 0;       // 0 unless the model predicts one
};

// The per-image values the distributions are drawn for (a superset of core's Score).
enum class ComparisonScore {
    PredictiveEntropy,
    ExpectedEntropy,
    MutualInformation,
    MaxProbability,
    Margin,
    VariationRatio,
    LogitVariance,
};
const std::vector<ComparisonScore>& allComparisonScores();
// "predictive entropy", "expected entropy (aleatoric)", ...
std::string comparisonScoreName(ComparisonScore score);
double comparisonScoreValue(const ComparisonImage& image, ComparisonScore score);

// One method's row of the comparison table. Set-level numbers cover the labelled
// in-distribution images; means cover every in-distribution image; OOD AUROCs treat the
// out-of-distribution images as positives, scored by predictive entropy or mutual information.
struct ComparisonRow {
    std::string label;
    std::string model;
    std::string description;  // describeMethod(), e.g. "mc-dropout + TTA x16: ..."
    int samplesPerImage = 0;  // copies x passes behind each image
    std::size_t images = 0;   // in-distribution images analysed
    std::size_t labelled = 0;
    std::size_t outImages = 0;
    double accuracy = 0;
    double nll = 0;
    double brier = 0;
    double ece = 0;  // 15 equal-width bins on the max mean probability
    // Risk-coverage areas: images kept from most to least confident by the max mean
    // probability, and by predictive entropy (lower is better).
    double aurcMaxProbability = 0;
    double aurcEntropy = 0;
    bool hasOod = false;  // both sets had images
    double oodAurocEntropy = 0;
    double oodAurocMutualInformation = 0;
    double meanPredictiveEntropy = 0;
    double meanExpectedEntropy = 0;
    double meanMutualInformation = 0;
    bool hasLogitVariance = false;
    double meanLogitVariance = 0;
    double seconds = 0;  // inference wall time over both sets
    double imagesPerSecond = 0;
    bool cancelled = false;  // the run stopped early: the row covers part of the images
};

// Streams one method's results in (in-distribution and out-of-distribution), keeps a few
// numbers per image, and gives its table row.
class MethodAccumulator {
  public:
    explicit MethodAccumulator(MethodSpec spec = {});

    const MethodSpec& spec() const { return spec_; }
    // What the row's description says, when the model is known (describeMethod with the
    // bundle); otherwise the spec's options alone describe it.
    void setDescription(std::string description) { description_ = std::move(description); }
    // `index` is the image's position in its set's input list.
    void add(std::size_t index, const ImageSummary& summary, int label);
    void addOut(std::size_t index, const ImageSummary& summary);
    // The engine's wall time and whether it was cancelled, once per run (in and OOD).
    void addRun(double seconds, bool cancelled);

    const std::vector<ComparisonImage>& images() const { return images_; }
    // One score's values over the in-distribution (or OOD) images, in arrival order.
    std::vector<double> values(ComparisonScore score, bool outOfDistribution = false) const;
    ComparisonRow result() const;

  private:
    MethodSpec spec_;
    std::string description_;
    std::vector<ComparisonImage> images_;
    CalibrationAccumulator calibration_;
    OodAccumulator ood_;
    int samplesPerImage_ = 0;
    std::size_t inCount_ = 0, outCount_ = 0;
    bool hasLogitVariance_ = false;
    double seconds_ = 0;
    bool cancelled_ = false;
};

}  // namespace ue
