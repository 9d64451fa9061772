#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "io/RankingCsv.h"
#include "io/SummaryReport.h"
#include "metrics/SetMetrics.h"

namespace ue {
namespace {

ImageSummary twoClass(float p0, int medianRulePrediction) {
    ImageSummary s;
    s.classes = 2;
    s.mean = {p0, 1.0f - p0};
    s.argmaxPrediction = p0 >= 0.5f ? 0 : 1;
    s.maxProbability = std::max(p0, 1.0f - p0);
    s.medianRulePrediction = medianRulePrediction;
    return s;
}

TEST(SetMetrics, AccuracyCoverageNllBrierByHand) {
    // Confidences kept away from bin edges, where float rounding would pick the bin.
    SetMetricsAccumulator acc(10);
    acc.add(twoClass(0.82f, 0), 0);              // correct, confidence 0.82
    acc.add(twoClass(0.33f, kUnclassified), 0);  // wrong (predicts 1), confidence 0.67
    acc.add(twoClass(0.44f, 1), 1);              // correct, confidence 0.56
    acc.add(twoClass(0.5f, 0), kNoLabel);        // unlabelled: counted in images only
    const auto m = acc.result();
    EXPECT_EQ(m.images, 4u);
    EXPECT_EQ(m.labelled, 3u);
    EXPECT_NEAR(m.accuracy, 2.0 / 3.0, 1e-12);
    EXPECT_NEAR(m.medianRuleCoverage, 2.0 / 3.0, 1e-12);
    EXPECT_NEAR(m.medianRuleCoveredAccuracy, 1.0, 1e-12);
    // NLL: (-ln 0.82 - ln 0.33 - ln 0.56) / 3 = (0.198451 + 1.108663 + 0.579818) / 3
    EXPECT_NEAR(m.nll, 0.6289774, 1e-6);
    // Brier: (2 * 0.18^2 + 2 * 0.67^2 + 2 * 0.44^2) / 3 = (0.0648 + 0.8978 + 0.3872) / 3
    EXPECT_NEAR(m.brier, 0.4499333, 1e-6);
    // ECE, 10 bins, one image per bin: (|1 - 0.82| + |0 - 0.67| + |1 - 0.56|) / 3
    EXPECT_NEAR(m.ece, 1.29 / 3.0, 1e-6);
}

TEST(SetMetrics, EceAveragesWithinABin) {
    SetMetricsAccumulator acc(10);
    acc.add(twoClass(0.72f, 0), 0);  // bin (0.7, 0.8], correct
    acc.add(twoClass(0.78f, 0), 1);  // same bin, wrong
    acc.add(twoClass(0.95f, 0), 0);  // bin (0.9, 1.0], correct
    // bin 1: accuracy 0.5, confidence 0.75 -> 2/3 * 0.25; bin 2: 1/3 * 0.05
    EXPECT_NEAR(acc.result().ece, 2.0 / 3.0 * 0.25 + 1.0 / 3.0 * 0.05, 1e-6);
}

TEST(SetMetrics, EmptyOrUnlabelledSetsHaveNoAccuracy) {
    SetMetricsAccumulator acc;
    EXPECT_EQ(acc.result().labelled, 0u);
    acc.add(twoClass(0.9f, 0), kNoLabel);
    const auto m = acc.result();
    EXPECT_EQ(m.images, 1u);
    EXPECT_EQ(m.labelled, 0u);
    EXPECT_DOUBLE_EQ(m.accuracy, 0.0);
}

TEST(SetMetrics, NllIsFiniteForAZeroProbability) {
    SetMetricsAccumulator acc;
    acc.add(twoClass(1.0f, 0), 1);
    EXPECT_NEAR(acc.result().nll, -std::log(1e-12), 1e-6);
}

TEST(EceBins, UpperEdgeBelongsToTheLowerBin) {
    EXPECT_EQ(eceBinIndex(0.0, 10), 0);
    EXPECT_EQ(eceBinIndex(0.05, 10), 0);
    EXPECT_EQ(eceBinIndex(0.25, 10), 2);
    EXPECT_EQ(eceBinIndex(0.5, 4), 1);
    EXPECT_EQ(eceBinIndex(1.0, 10), 9);
}

TEST(UncertaintyRanking, KeepsTheKMostUncertainByItsScoreTiesInArrivalOrder) {
    const std::vector<double> scores = {0.5, 0.9, 0.1, 0.9, 0.7, 0.3};
    const auto rank = [&](Score by, std::size_t keep) {
        UncertaintyRanking ranking(keep, by);
        for (std::size_t i = 0; i < scores.size(); ++i) {
            ranking.add({"img" + std::to_string(i), "", "", scores[i], 0, 0});
        }
        std::string order;
        for (const RankedImage& image : ranking.mostUncertain()) {
            order += image.path.back();
        }
        return order;
    };
    EXPECT_EQ(rank(Score::MutualInformation, 3), "134");  // 0.9 (1 before 3), 0.9, 0.7
    EXPECT_EQ(rank(Score::PredictiveEntropy, 10), "134052");
    // A confidence: the lowest is the most uncertain.
    EXPECT_EQ(rank(Score::Margin, 3), "250");
    EXPECT_EQ(rank(Score::MaxProbability, 0), "");
    // A score that is not a number ranks last, and the others keep their order around it.
    UncertaintyRanking ranking(3, Score::LogitVariance);
    for (double score : {0.9, std::nan(""), 0.5, 0.7}) {
        ranking.add({std::to_string(score), "", "", score, 0, 0});
    }
    ASSERT_EQ(ranking.mostUncertain().size(), 3u);
    EXPECT_DOUBLE_EQ(ranking.mostUncertain()[0].score, 0.9);
    EXPECT_DOUBLE_EQ(ranking.mostUncertain()[1].score, 0.7);
    EXPECT_DOUBLE_EQ(ranking.mostUncertain()[2].score, 0.5);
}

TEST(RankingCsv, OneRowPerImageInRankOrderWithTheScoreNamed) {
    std::ostringstream out;
    writeRankingCsv(
        out, {{"a.png", "Bag", "Coat", 0.0125, 1.5, 0.25}, {"=b,c.png", "", "Bag", 0.5, 0.75, 0}},
        Score::MaxProbability);
    EXPECT_EQ(out.str(),
              "rank,path,label,prediction,score,value,predictive_entropy,mutual_information\r\n"
              "1,a.png,Bag,Coat,max-probability,0.0125,1.5,0.25\r\n"
              "2,\"'=b,c.png\",,Bag,max-probability,0.5,0.75,0\r\n");
}

TEST(RunSummaryText, ListsTheMostUncertainByTheScoreRankedBy) {
    RunSummary summary;
    summary.mostUncertain = {{"a.png", "Bag", "Coat", 0.0126, 1.5, 0.25}};
    std::string text = formatRunSummary(summary);
    EXPECT_NE(text.find("Most uncertain (predictive entropy / mutual information):\n"
                        "  1.500 / 0.250  a.png  predicted Coat (label Bag)\n"),
              std::string::npos)
        << text;
    summary.rankedBy = Score::Margin;
    text = formatRunSummary(summary);
    EXPECT_NE(text.find("Most uncertain by margin, lowest first (margin; predictive entropy / "
                        "mutual information):\n"
                        "  0.013; 1.500 / 0.250  a.png  predicted Coat (label Bag)\n"),
              std::string::npos)
        << text;
    summary.rankedBy = Score::MutualInformation;
    EXPECT_NE(formatRunSummary(summary).find("Most uncertain by mutual information (mutual "
                                             "information; predictive entropy / mutual "
                                             "information):\n  0.013; 1.500"),
              std::string::npos);
}

TEST(RunSummaryText, NoRateWithoutItsDenominatorAndInputsNotFound) {
    RunSummary summary;
    summary.modelName = "toy";
    summary.method = "mc-dropout";
    summary.report.total = summary.report.succeeded = 2;
    summary.report.samples = 3;
    summary.report.seconds = 0.5;
    SetMetricsAccumulator metrics;
    metrics.setThresholds({0.99f, 0.99f});
    // Labelled, but the median rule leaves both unclassified and the thresholds reject both.
    metrics.add(twoClass(0.9f, kUnclassified), 0);
    metrics.add(twoClass(0.2f, kUnclassified), 1);
    summary.metrics = metrics.result();
    summary.inputProblems = {"/gone: no such file or folder"};
    const std::string text = formatRunSummary(summary);
    EXPECT_NE(text.find("Images     2 analysed, 0 failed, 2 in total; 1 input not found or not "
                        "readable (listed below)\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("median rule                   coverage 0.00 %, accuracy on covered "
                        "n/a\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("per-class threshold rule      coverage 0.00 %, accuracy on covered "
                        "n/a\n"),
              std::string::npos)
        << text;
    const std::string tail = "\nInputs not analysed:\n  /gone: no such file or folder\n";
    ASSERT_GE(text.size(), tail.size());
    EXPECT_EQ(text.substr(text.size() - tail.size()), tail);

    // Without problems the line is as before.
    summary.inputProblems.clear();
    EXPECT_NE(formatRunSummary(summary).find("Images     2 analysed, 0 failed, 2 in total\n"),
              std::string::npos);
}

}  // namespace
}  // namespace ue
