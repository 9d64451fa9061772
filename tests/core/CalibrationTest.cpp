#include <gtest/gtest.h>

#include <cmath>

#include "metrics/Calibration.h"

namespace ue {
namespace {

// A two-class summary whose mean is (p, 1 - p); entropies are not needed here.
ImageSummary twoClass(float p) {
    ImageSummary s;
    s.classes = 2;
    s.samples = 1;
    s.mean = {p, 1 - p};
    s.argmaxPrediction = p >= 0.5f ? 0 : 1;
    s.maxProbability = std::max(p, 1 - p);
    s.margin = std::abs(2 * p - 1);
    return s;
}

TEST(CalibrationTest, HandComputedBinsEceAndAurc) {
    CalibrationAccumulator acc;
    // Confidences 0.9 (right), 0.8 (wrong), 0.6 (right), 0.95 (right); labels all class 0.
    acc.add(twoClass(0.9f), 0);
    acc.add(twoClass(0.2f), 0);  // predicts class 1 with 0.8: wrong
    acc.add(twoClass(0.6f), 0);
    acc.add(twoClass(0.95f), 0);
    acc.add(twoClass(0.7f), kNoLabel);  // unlabelled: ignored
    ASSERT_EQ(acc.labelled(), 4u);

    const auto report = acc.calibration(2);  // bins (0, 0.5] and (0.5, 1]
    EXPECT_EQ(report.equalWidth[0].count, 0u);
    EXPECT_EQ(report.equalWidth[1].count, 4u);
    EXPECT_NEAR(report.equalWidth[1].meanConfidence, (0.9 + 0.8 + 0.6 + 0.95) / 4, 1e-6);
    EXPECT_NEAR(report.equalWidth[1].accuracy, 0.75, 1e-12);
    EXPECT_NEAR(report.eceEqualWidth, std::abs(0.75 - 0.8125), 1e-6);
    // Equal mass, 2 bins: sorted confidences 0.6 (right), 0.8 (wrong) | 0.9, 0.95 (right).
    ASSERT_EQ(report.equalMass.size(), 2u);
    EXPECT_NEAR(report.equalMass[0].accuracy, 0.5, 1e-12);
    EXPECT_NEAR(report.equalMass[0].meanConfidence, 0.7, 1e-6);
    EXPECT_NEAR(report.equalMass[1].accuracy, 1.0, 1e-12);
    EXPECT_NEAR(report.eceEqualMass, 0.5 * 0.2 + 0.5 * 0.075, 1e-6);
    EXPECT_NEAR(report.accuracy, 0.75, 1e-12);
    EXPECT_NEAR(report.nll, -(std::log(0.9) + std::log(0.2) + std::log(0.6) + std::log(0.95)) / 4,
                1e-6);

    // By max probability: 0.95 (right), 0.9 (right), 0.8 (wrong), 0.6 (right).
    // Risks at k = 1..4: 0, 0, 1/3, 1/4; AURC = (1/3 + 1/4) / 4. Optimal: 0, 0, 0, 1/4.
    const auto curve = acc.riskCoverage(Score::MaxProbability);
    ASSERT_EQ(curve.risk.size(), 4u);
    EXPECT_NEAR(curve.risk[2], 1.0 / 3, 1e-12);
    EXPECT_NEAR(curve.coverage[2], 0.75, 1e-12);
    EXPECT_NEAR(curve.aurc, (1.0 / 3 + 0.25) / 4, 1e-12);
    EXPECT_NEAR(curve.optimalAurc, 0.25 / 4, 1e-12);
}

TEST(CalibrationTest, RiskCoverageByLogitVarianceOnlyWhenOffered) {
    const auto image = [](float p, double variance) {
        ImageSummary s = twoClass(p);
        s.hasLogitVariance = true;
        s.logitVariance = variance;
        return s;
    };
    CalibrationAccumulator acc;
    acc.add(image(0.9f, 0.5), 0);
    acc.add(image(0.2f, 0.3), 0);  // wrong
    acc.add(image(0.6f, 2.0), 0);
    acc.add(image(0.95f, 0.1), 0);
    EXPECT_DOUBLE_EQ(acc.uncertainty(1, Score::LogitVariance), 0.3);
    // Least variance kept first: 0.1 (right), 0.3 (wrong), 0.5, 2.0 (right): risks 0, 1/2, 1/3,
    // 1/4. (By max probability the wrong one comes third: a different curve.)
    const auto curve = acc.riskCoverage(Score::LogitVariance);
    ASSERT_EQ(curve.risk.size(), 4u);
    EXPECT_NEAR(curve.risk[1], 0.5, 1e-12);
    EXPECT_NEAR(curve.aurc, (0.5 + 1.0 / 3 + 0.25) / 4, 1e-12);
    EXPECT_NEAR(curve.optimalAurc, 0.25 / 4, 1e-12);

    EXPECT_EQ(acc.riskCoverageAllScores().size(), 6u);
    const auto hetero = acc.riskCoverageAllScores(scoresFor(true));
    ASSERT_EQ(hetero.size(), 7u);
    EXPECT_EQ(hetero.back().score, Score::LogitVariance);
    EXPECT_NEAR(hetero.back().aurc, curve.aurc, 1e-12);
}

TEST(CalibrationTest, EmptyIsAllZero) {
    CalibrationAccumulator acc;
    const auto report = acc.calibration();
    EXPECT_EQ(report.labelled, 0u);
    EXPECT_EQ(report.eceEqualWidth, 0.0);
    EXPECT_TRUE(acc.riskCoverage(Score::PredictiveEntropy).risk.empty());
}

}  // namespace
}  // namespace ue
