#include <gtest/gtest.h>

#include <cmath>

#include "metrics/ImageSummary.h"

namespace ue {
namespace {

// Four passes, two classes. Expected values worked out by hand (and cross-checked with numpy):
// class 0 passes 0.9 0.7 0.6 0.2 -> mean 0.6, sorted 0.2 0.6 0.7 0.9.
const float kProbs[] = {0.9f, 0.1f, 0.7f, 0.3f, 0.6f, 0.4f, 0.2f, 0.8f};

TEST(ImageSummary, MeanMedianQuantilesAndStd) {
    const auto s = summarizeSamples(kProbs, 4, 2);
    EXPECT_EQ(s.samples, 4);
    EXPECT_NEAR(s.mean[0], 0.6, 1e-6);
    EXPECT_NEAR(s.mean[1], 0.4, 1e-6);
    // median: position 1.5 between 0.6 and 0.7
    EXPECT_NEAR(s.median[0], 0.65, 1e-6);
    EXPECT_NEAR(s.median[1], 0.35, 1e-6);
    // q10: position 0.3 -> 0.2 + 0.3 * (0.6 - 0.2); q90: position 2.7 -> 0.7 + 0.7 * 0.2
    EXPECT_NEAR(s.q10[0], 0.32, 1e-6);
    EXPECT_NEAR(s.q25[0], 0.50, 1e-6);
    EXPECT_NEAR(s.q75[0], 0.75, 1e-6);
    EXPECT_NEAR(s.q90[0], 0.84, 1e-6);
    EXPECT_NEAR(s.q10[1], 0.16, 1e-6);
    EXPECT_NEAR(s.q90[1], 0.68, 1e-6);
    // population std: squares 0.09 + 0.01 + 0 + 0.16 = 0.26, / 4, sqrt
    EXPECT_NEAR(s.stddev[0], 0.2549510, 1e-6);
}

TEST(ImageSummary, EntropiesMutualInformationVariationRatioMargin) {
    const auto s = summarizeSamples(kProbs, 4, 2);
    // H[0.6, 0.4] = -(0.6 ln 0.6 + 0.4 ln 0.4)
    EXPECT_NEAR(s.predictiveEntropy, 0.6730117, 1e-6);
    // mean of H(.9,.1)=0.325083, H(.7,.3)=0.610864, H(.6,.4)=0.673012, H(.2,.8)=0.500402
    EXPECT_NEAR(s.expectedEntropy, 0.5273403, 1e-6);
    EXPECT_NEAR(s.mutualInformation, 0.6730117 - 0.5273403, 1e-6);
    // three passes vote class 0, one votes class 1
    EXPECT_NEAR(s.variationRatio, 0.25, 1e-12);
    EXPECT_NEAR(s.margin, 0.2, 1e-6);
    EXPECT_NEAR(s.maxProbability, 0.6, 1e-6);
    EXPECT_EQ(s.argmaxPrediction, 0);
    EXPECT_EQ(s.medianRulePrediction, 0);
}

TEST(ImageSummary, IdenticalPassesHaveNoEpistemicSpread) {
    const float probs[] = {0.2f, 0.5f, 0.3f, 0.2f, 0.5f, 0.3f, 0.2f, 0.5f, 0.3f};
    const auto s = summarizeSamples(probs, 3, 3);
    EXPECT_DOUBLE_EQ(s.mutualInformation, 0.0);
    EXPECT_DOUBLE_EQ(s.variationRatio, 0.0);
    EXPECT_NEAR(s.predictiveEntropy, s.expectedEntropy, 1e-12);
    EXPECT_FLOAT_EQ(s.stddev[1], 0.0f);
    EXPECT_EQ(s.argmaxPrediction, 1);
    // median 0.5 is not > 0.5
    EXPECT_EQ(s.medianRulePrediction, kUnclassified);
}

TEST(ImageSummary, HistogramBinsOnUnitInterval) {
    // One class, five passes; 20 bins of width 0.05. 1.0 lands in the last bin.
    const float probs[] = {0.0f, 0.01f, 0.52f, 0.97f, 1.0f};
    SummaryOptions options;
    options.histogramBins = 20;
    const auto s = summarizeSamples(probs, 5, 1, options);
    EXPECT_EQ(s.histogramCount(0, 0), 2u);
    EXPECT_EQ(s.histogramCount(0, 10), 1u);
    EXPECT_EQ(s.histogramCount(0, 19), 2u);
    std::uint32_t total = 0;
    for (int b = 0; b < 20; ++b) {
        total += s.histogramCount(0, b);
    }
    EXPECT_EQ(total, 5u);
}

TEST(ImageSummary, SinglePassIsTheDeterministicCase) {
    const float probs[] = {0.1f, 0.7f, 0.2f};
    const auto s = summarizeSamples(probs, 1, 3);
    EXPECT_FLOAT_EQ(s.median[1], 0.7f);
    EXPECT_FLOAT_EQ(s.q10[1], 0.7f);
    EXPECT_DOUBLE_EQ(s.mutualInformation, 0.0);
    EXPECT_EQ(s.medianRulePrediction, 1);
}

TEST(MedianRule, NeedsMoreThanHalfAndAStrictWinner) {
    EXPECT_EQ(medianRule({0.2f, 0.7f, 0.1f}), 1);
    EXPECT_EQ(medianRule({0.45f, 0.3f, 0.25f}), kUnclassified);
    EXPECT_EQ(medianRule({0.5f, 0.5f}), kUnclassified);
    EXPECT_EQ(medianRule({0.55f, 0.55f, 0.0f}), kUnclassified);
    EXPECT_EQ(medianRule({0.51f, 0.49f}), 0);
}

TEST(Quantile, LinearInterpolationLikeNumpy) {
    const std::vector<float> sorted = {1.f, 2.f, 4.f, 8.f};
    EXPECT_DOUBLE_EQ(quantileSorted(sorted, 0.0), 1.0);
    EXPECT_DOUBLE_EQ(quantileSorted(sorted, 1.0), 8.0);
    EXPECT_DOUBLE_EQ(quantileSorted(sorted, 0.5), 3.0);
    EXPECT_NEAR(quantileSorted(sorted, 0.9), 6.8, 1e-12);  // position 2.7: 4 + 0.7 * 4
}

TEST(Entropy, ZeroProbabilityContributesNothing) {
    const float p[] = {1.0f, 0.0f};
    EXPECT_DOUBLE_EQ(entropy(p, 2), 0.0);
    const float uniform[] = {0.25f, 0.25f, 0.25f, 0.25f};
    EXPECT_NEAR(entropy(uniform, 4), std::log(4.0), 1e-7);
}

}  // namespace
}  // namespace ue
