#include <gtest/gtest.h>

#include <cmath>

#include "Error.h"
#include "metrics/Conformal.h"

namespace ue {
namespace {

TEST(Conformal, ScoresByHand) {
    // Powers of two, so the sums are exact.
    const std::vector<float> p = {0.5f, 0.25f, 0.125f, 0.125f};
    EXPECT_DOUBLE_EQ(conformalScore(ConformalMethod::Lac, p, 0), 0.5);
    EXPECT_DOUBLE_EQ(conformalScore(ConformalMethod::Lac, p, 2), 0.875);
    EXPECT_DOUBLE_EQ(conformalScore(ConformalMethod::Aps, p, 0), 0.5);
    EXPECT_DOUBLE_EQ(conformalScore(ConformalMethod::Aps, p, 1), 0.75);
    // A tie: the lower class index ranks first.
    EXPECT_DOUBLE_EQ(conformalScore(ConformalMethod::Aps, p, 2), 0.875);
    EXPECT_DOUBLE_EQ(conformalScore(ConformalMethod::Aps, p, 3), 1.0);
}

TEST(Conformal, QuantileIsTheCeilRankOfTheScores) {
    ConformalCalibrator lac(ConformalMethod::Lac);
    // LAC scores 0.25, 0.5, 0.125, 0.75 (sorted: 0.125 0.25 0.5 0.75).
    lac.add({0.75f, 0.25f}, 0);
    lac.add({0.5f, 0.5f}, 1);
    lac.add({0.125f, 0.875f}, 1);
    lac.add({0.75f, 0.25f}, 1);
    lac.add({0.75f, 0.25f}, -1);  // unlabelled: ignored
    EXPECT_EQ(lac.count(), 4u);
    EXPECT_DOUBLE_EQ(lac.qhat(0.5), 0.5);    // ceil(5 x 0.5) = 3rd smallest
    EXPECT_DOUBLE_EQ(lac.qhat(0.2), 0.75);   // ceil(5 x 0.8) = 4th
    EXPECT_TRUE(std::isinf(lac.qhat(0.1)));  // ceil(5 x 0.9) = 5 > 4: every class
    EXPECT_TRUE(std::isinf(ConformalCalibrator(ConformalMethod::Aps).qhat(0.1)));
}

TEST(Conformal, SetsHoldEveryClassAtOrBelowTheQuantile) {
    const std::vector<float> p = {0.125f, 0.5f, 0.25f, 0.125f};
    EXPECT_EQ(predictionSet(ConformalMethod::Lac, p, 0.5), (std::vector<int>{1}));
    EXPECT_EQ(predictionSet(ConformalMethod::Lac, p, 0.75), (std::vector<int>{1, 2}));
    EXPECT_EQ(predictionSet(ConformalMethod::Lac, p, 0.875), (std::vector<int>{1, 2, 0, 3}));
    EXPECT_EQ(predictionSet(ConformalMethod::Aps, p, 0.75), (std::vector<int>{1, 2}));
    EXPECT_EQ(predictionSet(ConformalMethod::Aps, p, 0.8), (std::vector<int>{1, 2}));
    EXPECT_EQ(predictionSet(ConformalMethod::Aps, p, 0.4), (std::vector<int>{}));  // may be empty
    EXPECT_EQ(predictionSet(ConformalMethod::Aps, p, INFINITY).size(), 4u);
    // The set is exactly {y : score(y) <= q̂}, for every class and q̂.
    for (ConformalMethod method : {ConformalMethod::Lac, ConformalMethod::Aps}) {
        for (double qhat : {0.0, 0.5, 0.6, 0.75, 0.875, 1.0}) {
            const auto set = predictionSet(method, p, qhat);
            for (int y = 0; y < 4; ++y) {
                const bool in = std::find(set.begin(), set.end(), y) != set.end();
                EXPECT_EQ(in, conformalScore(method, p, y) <= qhat) << toString(method) << qhat;
            }
        }
    }
}

TEST(Conformal, EvaluatorCountsCoverageAndSizes) {
    ConformalEvaluator evaluator(3);
    evaluator.add({0}, 0);
    evaluator.add({1, 2}, 0);
    evaluator.add({}, 2);
    evaluator.add({0, 1, 2}, -1);  // unlabelled: sizes only
    EXPECT_EQ(evaluator.images(), 4u);
    EXPECT_EQ(evaluator.labelled(), 3u);
    EXPECT_DOUBLE_EQ(evaluator.coverage(), 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(evaluator.meanSetSize(), 6.0 / 4.0);
    EXPECT_EQ(evaluator.sizeCounts(), (std::vector<std::size_t>{1, 1, 1, 1}));
}

TEST(Conformal, MethodNames) {
    EXPECT_EQ(conformalMethodFromString("aps"), ConformalMethod::Aps);
    EXPECT_EQ(toString(ConformalMethod::Lac), "lac");
    EXPECT_THROW(conformalMethodFromString("raps"), Error);
}

}  // namespace
}  // namespace ue
