#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "Labels.h"
#include "analysis/GammaSweep.h"

namespace ue {
namespace {

TEST(GammaSweepTest, DefaultGridIsLogSpacedPlusReferencePoints) {
    const auto grid = gammaGrid();  // 0.2 ... 3.0, 9 steps
    ASSERT_EQ(grid.size(), 12u);    // 9 log-spaced + 0.5, 1, 2
    EXPECT_DOUBLE_EQ(grid.front(), 0.2);
    EXPECT_DOUBLE_EQ(grid.back(), 3.0);
    for (double reference : {0.5, 1.0, 2.0}) {
        EXPECT_NE(std::find(grid.begin(), grid.end(), reference), grid.end()) << reference;
    }
    // The fifth log-spaced value is the geometric mean of the ends.
    EXPECT_NE(std::find_if(grid.begin(), grid.end(),
                           [](double g) { return std::abs(g - std::sqrt(0.2 * 3.0)) < 1e-12; }),
              grid.end());
}

TEST(GammaSweepTest, ReferencePointsOnlyInRangeAndNoDuplicates) {
    EXPECT_EQ(gammaGrid(1.0, 1.0, 5), std::vector<double>{1.0});
    EXPECT_EQ(gammaGrid(0.5, 2.0, 3), (std::vector<double>{0.5, 1.0, 2.0}));
    EXPECT_EQ(gammaGrid(2.5, 4.0, 1), std::vector<double>{2.5});
    EXPECT_THROW(gammaGrid(0.0, 1.0, 3), std::invalid_argument);
    EXPECT_THROW(gammaGrid(2.0, 1.0, 3), std::invalid_argument);
    EXPECT_THROW(gammaGrid(0.5, 2.0, 0), std::invalid_argument);
}

TEST(GammaSweepTest, ListsAreSortedAndValidated) {
    EXPECT_EQ(parseGammaList("2, 0.5,1,1"), (std::vector<double>{0.5, 1.0, 2.0}));
    EXPECT_THROW(parseGammaList("1,x"), std::invalid_argument);
    EXPECT_THROW(parseGammaList("0"), std::invalid_argument);
    EXPECT_THROW(parseGammaList("1,,2"), std::invalid_argument);
    EXPECT_THROW(parseGammaList("nan"), std::invalid_argument);
}

TEST(GammaSweepTest, AccumulatesEachGammaSeparately) {
    GammaSweepAccumulator sweep({0.5, 1.0});
    const auto resultAt = [](std::size_t gammaIndex, int predicted, int label) {
        GammaResult r;
        r.gammaIndex = gammaIndex;
        r.result.ok = true;
        r.result.label = label;
        r.result.summary.classes = 2;
        r.result.summary.samples = 1;
        r.result.summary.mean =
            predicted == 0 ? std::vector<float>{0.9f, 0.1f} : std::vector<float>{0.1f, 0.9f};
        r.result.summary.median = r.result.summary.mean;
        r.result.summary.argmaxPrediction = predicted;
        r.result.summary.medianRulePrediction = predicted;
        return r;
    };
    sweep.add(resultAt(0, 0, 0));
    sweep.add(resultAt(0, 1, 0));
    sweep.add(resultAt(1, 0, 0));
    const auto points = sweep.result();
    ASSERT_EQ(points.size(), 2u);
    EXPECT_DOUBLE_EQ(points[0].gamma, 0.5);
    EXPECT_EQ(points[0].metrics.images, 2u);
    EXPECT_DOUBLE_EQ(points[0].metrics.accuracy, 0.5);
    EXPECT_EQ(points[1].metrics.images, 1u);
    EXPECT_DOUBLE_EQ(points[1].metrics.accuracy, 1.0);
}

TEST(GammaSweepTest, AnAccuracyOverNoCoveredImageIsLeftEmpty) {
    GammaSweepAccumulator sweep({0.5, 2.0}, {0.95f, 0.95f});
    const auto resultAt = [](std::size_t gammaIndex, int medianRule) {
        GammaResult r;
        r.gammaIndex = gammaIndex;
        r.result.ok = true;
        r.result.label = 0;
        r.result.summary.classes = 2;
        r.result.summary.samples = 1;
        r.result.summary.mean =
            medianRule == 0 ? std::vector<float>{0.99f, 0.01f} : std::vector<float>{0.9f, 0.1f};
        r.result.summary.median = r.result.summary.mean;
        r.result.summary.argmaxPrediction = 0;
        r.result.summary.medianRulePrediction = medianRule;
        return r;
    };
    // At 0.5 both rules cover the image (0.99 over its threshold 0.95); at 2.0 neither.
    sweep.add(resultAt(0, 0));
    sweep.add(resultAt(1, kUnclassified));
    std::ostringstream csv;
    writeGammaSweepCsv(sweep.result(), csv);
    std::istringstream lines(csv.str());
    std::string header, covered, uncovered;
    std::getline(lines, header);
    std::getline(lines, covered);
    std::getline(lines, uncovered);
    const std::string columns =
        "gamma,images,labelled,accuracy,median_rule_coverage,median_rule_covered_accuracy,"
        "threshold_rule_coverage,threshold_rule_covered_accuracy,";
    EXPECT_EQ(header.substr(0, columns.size()), columns);
    EXPECT_EQ(covered.substr(0, 18), "0.5,1,1,1,1,1,1,1,") << covered;
    // Coverage 0, and its accuracy empty rather than 0.
    EXPECT_EQ(uncovered.substr(0, 14), "2,1,1,1,0,,0,,") << uncovered;
}

}  // namespace
}  // namespace ue
