#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "metrics/Scores.h"

namespace ue {
namespace {

TEST(ScoresTest, LogitVarianceIsThePredictedVarianceAndHigherIsMoreUncertain) {
    ImageSummary s;
    s.hasLogitVariance = true;
    s.logitVariance = 2.5;
    s.expectedEntropy = 0.7;  // another aleatoric score: must not be read instead
    EXPECT_DOUBLE_EQ(scoreValue(s, Score::LogitVariance), 2.5);
    EXPECT_TRUE(higherIsMoreUncertain(Score::LogitVariance));
    EXPECT_DOUBLE_EQ(uncertaintyOf(s, Score::LogitVariance), 2.5);
    EXPECT_EQ(scoreName(Score::LogitVariance), "logit variance");
    EXPECT_EQ(scoreLabel(Score::LogitVariance), "logit variance (aleatoric)");
}

TEST(ScoresTest, LogitVarianceIsOfferedOnlyForAModelThatPredictsOne) {
    // Any other model's images all have 0 there: the six general scores, unchanged.
    EXPECT_EQ(scoresFor(false), allScores());
    EXPECT_EQ(allScores().size(), 6u);
    EXPECT_EQ(std::count(allScores().begin(), allScores().end(), Score::LogitVariance), 0);
    const auto& hetero = scoresFor(true);
    ASSERT_EQ(hetero.size(), 7u);
    EXPECT_TRUE(std::equal(allScores().begin(), allScores().end(), hetero.begin()));
    EXPECT_EQ(hetero.back(), Score::LogitVariance);
    // Per-score arrays: every score has a slot of its own.
    ASSERT_EQ(hetero.size(), kScoreCount);
    for (std::size_t i = 0; i < hetero.size(); ++i) {
        EXPECT_EQ(scoreIndex(hetero[i]), i);
    }
}

TEST(ScoresTest, OptionNamesAreTheNamesHyphenatedAndReadBack) {
    EXPECT_EQ(scoreOptionName(Score::PredictiveEntropy), "predictive-entropy");
    EXPECT_EQ(scoreOptionName(Score::MaxProbability), "max-probability");
    EXPECT_EQ(scoreOptionName(Score::Margin), "margin");
    for (Score score : scoresFor(true)) {
        EXPECT_EQ(scoreFromOptionName(scoreOptionName(score)), score);
    }
    EXPECT_EQ(scoreFromOptionName("predictive entropy"), std::nullopt);
    EXPECT_EQ(scoreFromOptionName("entropy"), std::nullopt);
    EXPECT_EQ(scoreFromOptionName(""), std::nullopt);
}

TEST(ScoresTest, RankingKeyIsTheUncertaintyWithANanLast) {
    EXPECT_DOUBLE_EQ(rankingKey(0.25, Score::MutualInformation), 0.25);
    EXPECT_DOUBLE_EQ(rankingKey(0.25, Score::Margin), -0.25);  // a confidence: lowest first
    EXPECT_LT(rankingKey(std::nan(""), Score::LogitVariance),
              rankingKey(-1e300, Score::PredictiveEntropy));
    EXPECT_LT(rankingKey(std::nan(""), Score::MaxProbability), rankingKey(1.0, Score::Margin));
}

}  // namespace
}  // namespace ue
