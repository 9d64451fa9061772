#include <gtest/gtest.h>

#include <sstream>

#include "metrics/RankBreakdown.h"

namespace ue {
namespace {

ImageSummary withMean(std::vector<float> mean, double entropy) {
    ImageSummary s;
    s.classes = int(mean.size());
    s.mean = std::move(mean);
    s.predictiveEntropy = entropy;
    return s;
}

TEST(RankBreakdown, RankOfTheTrueClassByHand) {
    const std::vector<float> p = {0.1f, 0.5f, 0.3f, 0.1f};
    EXPECT_EQ(trueClassRank(p, 1), 1);
    EXPECT_EQ(trueClassRank(p, 2), 2);
    EXPECT_EQ(trueClassRank(p, 0), 3);
    EXPECT_EQ(trueClassRank(p, 3), 4);  // tied with class 0, which comes first
}

TEST(RankBreakdown, SharesMeansAndQuantilesByHand) {
    RankBreakdown breakdown;
    breakdown.add(withMean({0.9f, 0.1f, 0.0f}, 0.1), 0);   // rank 1
    breakdown.add(withMean({0.8f, 0.2f, 0.0f}, 0.3), 0);   // rank 1
    breakdown.add(withMean({0.6f, 0.4f, 0.0f}, 0.7), 1);   // rank 2
    breakdown.add(withMean({0.5f, 0.3f, 0.2f}, 1.0), 2);   // rank 3
    breakdown.add(withMean({0.5f, 0.3f, 0.2f}, 9.0), -1);  // unlabelled: ignored
    EXPECT_EQ(breakdown.labelled(), 4u);
    EXPECT_DOUBLE_EQ(breakdown.share(0), 0.5);
    EXPECT_DOUBLE_EQ(breakdown.share(1), 0.25);
    EXPECT_DOUBLE_EQ(breakdown.share(2), 0.25);
    EXPECT_DOUBLE_EQ(breakdown.mean(0, Score::PredictiveEntropy), 0.2);
    EXPECT_DOUBLE_EQ(breakdown.quantile(0, Score::PredictiveEntropy, 0.5), 0.2);
    EXPECT_DOUBLE_EQ(breakdown.quantile(0, Score::PredictiveEntropy, 0.25), 0.15);
    EXPECT_DOUBLE_EQ(breakdown.mean(2, Score::PredictiveEntropy), 1.0);

    std::ostringstream csv;
    writeRankBreakdownCsv(csv, breakdown);
    EXPECT_EQ(csv.str().substr(0, csv.str().find("\r\n")),
              "true_class_rank,images,share,mean_predictive_entropy,median_predictive_entropy,"
              "mean_mutual_information,median_mutual_information,mean_expected_entropy,"
              "median_expected_entropy,mean_variation_ratio,median_variation_ratio,mean_margin,"
              "median_margin,mean_max_probability,median_max_probability");
    EXPECT_NE(csv.str().find("\r\n3+,1,0.25,1,1,"), std::string::npos);
}

TEST(RankBreakdown, EmptyGroupsAreZeroAndEmptyCells) {
    RankBreakdown breakdown;
    breakdown.add(withMean({0.9f, 0.1f}, 0.1), 0);
    EXPECT_EQ(breakdown.count(1), 0u);
    EXPECT_DOUBLE_EQ(breakdown.mean(1, Score::Margin), 0.0);
    std::ostringstream csv;
    writeRankBreakdownCsv(csv, breakdown);
    EXPECT_NE(csv.str().find("\r\n2,0,0,,,"), std::string::npos);
}

}  // namespace
}  // namespace ue
