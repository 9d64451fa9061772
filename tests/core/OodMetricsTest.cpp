#include <gtest/gtest.h>

#include <algorithm>

#include "metrics/OodMetrics.h"

namespace ue {
namespace {

TEST(OodMetricsTest, HandComputedSeparation) {
    // In: 0.1, 0.4, 0.35, 0.8; out: 0.9, 0.8, 0.7. Pairs (out > in) + 0.5 (tie): out 0.9 beats
    // all 4; 0.8 beats 3 and ties 1; 0.7 beats 3 -> (4 + 3.5 + 3) / 12.
    const auto r =
        detectOutOfDistribution({0.1, 0.4, 0.35, 0.8}, {0.9, 0.8, 0.7}, Score::PredictiveEntropy);
    EXPECT_NEAR(r.auroc, 10.5 / 12, 1e-12);
    // Thresholds from the top: 0.9 (TP 1, FP 0), 0.8 (TP 2, FP 1), 0.7 (TP 3, FP 1), ...
    // AP = 1/3 * 1 + 1/3 * 2/3 + 1/3 * 3/4.
    EXPECT_NEAR(r.aupr, (1.0 + 2.0 / 3 + 0.75) / 3, 1e-12);
    // TPR reaches 95 % (all 3) at 0.7, where one in-distribution image (0.8) is flagged.
    EXPECT_NEAR(r.fprAt95Tpr, 0.25, 1e-12);
    ASSERT_GE(r.roc.size(), 2u);
    EXPECT_EQ(r.roc.front().fpr, 0.0);
    EXPECT_EQ(r.roc.back().tpr, 1.0);
    EXPECT_EQ(r.roc.back().fpr, 1.0);
}

TEST(OodMetricsTest, PerfectAndEmpty) {
    const auto perfect = detectOutOfDistribution({0.1, 0.2}, {0.5, 0.6}, Score::Margin);
    EXPECT_DOUBLE_EQ(perfect.auroc, 1.0);
    EXPECT_DOUBLE_EQ(perfect.aupr, 1.0);
    EXPECT_DOUBLE_EQ(perfect.fprAt95Tpr, 0.0);
    EXPECT_EQ(detectOutOfDistribution({}, {1.0}, Score::Margin).auroc, 0.0);
}

// The model's predicted logit variance: a score of a heteroscedastic model only.
TEST(OodMetricsTest, LogitVarianceDetectsOnlyWhenOffered) {
    const auto image = [](double variance) {
        ImageSummary s;
        s.hasLogitVariance = true;
        s.logitVariance = variance;
        return s;
    };
    OodAccumulator accumulator;
    for (double v : {0.1, 0.4, 0.35, 0.8}) {
        accumulator.addIn(image(v));
    }
    for (double v : {0.9, 0.8, 0.7}) {
        accumulator.addOut(image(v));
    }
    EXPECT_EQ(accumulator.inValues(Score::LogitVariance),
              (std::vector<double>{0.1, 0.4, 0.35, 0.8}));
    const auto hetero = accumulator.results(scoresFor(true));
    ASSERT_EQ(hetero.size(), 7u);
    const auto byVariance = std::find_if(hetero.begin(), hetero.end(), [](const OodDetection& d) {
        return d.score == Score::LogitVariance;
    });
    ASSERT_NE(byVariance, hetero.end());
    // The same pairs as HandComputedSeparation: (4 + 3.5 + 3) / 12, and best of the seven (every
    // other score is 0 for all seven images: AUROC 0.5).
    EXPECT_NEAR(byVariance->auroc, 10.5 / 12, 1e-12);
    EXPECT_EQ(hetero.front().score, Score::LogitVariance);
    const auto general = accumulator.results();
    EXPECT_EQ(general.size(), 6u);
    EXPECT_TRUE(std::none_of(general.begin(), general.end(), [](const OodDetection& d) {
        return d.score == Score::LogitVariance;
    }));
}

}  // namespace
}  // namespace ue
