#include <gtest/gtest.h>

#include "bench/Bench.h"

namespace ue {
namespace {

TEST(BenchReportTest, SpreadIsTheMedianAndTheExtremes) {
    const BenchSpread odd = spreadOf({30, 10, 20});
    EXPECT_DOUBLE_EQ(odd.median, 20);
    EXPECT_DOUBLE_EQ(odd.low, 10);
    EXPECT_DOUBLE_EQ(odd.high, 30);
    EXPECT_DOUBLE_EQ(spreadOf({4, 1, 3, 2}).median, 2.5);
    EXPECT_DOUBLE_EQ(spreadOf({}).median, 0);
}

// Two rounds: each ratio is taken within its round (both sides under the same load), and the
// table shows each approach's median with its range.
BenchResult twoRounds() {
    BenchResult r;
    r.samples = 100;
    r.threads = 2;
    r.images = 300;
    r.device = "cpu";
    r.blas = "openblas";
    r.rows = {{"ours", "mc default (encode once)", 1, 300, 0.25, 1200},
              {"pytorch", "encode once + head T times", 1, 300, 0.5, 600},
              {"ours", "mc default (encode once)", 2, 300, 0.3, 1000},
              {"pytorch", "encode once + head T times", 2, 300, 0.4, 800}};
    r.rounds = {{1200, 600, 20, 2000}, {1000, 800, 25, 1500}};
    return r;
}

TEST(BenchReportTest, RatiosAreTakenWithinEachRound) {
    const std::string text = formatBench(twoRounds());
    // 1200/600 = 2.00 and 1000/800 = 1.25: median 1.625, a tie for printf, so only its first
    // digits are matched. The medians of the speeds would give 1100/700 = 1.57.
    EXPECT_NE(text.find("best plain-PyTorch MC: 1.6"), std::string::npos) << text;
    EXPECT_NE(text.find("x (rounds 1.25-2.00x)"), std::string::npos) << text;
    EXPECT_EQ(text.find("1.57x"), std::string::npos) << text;
    EXPECT_NE(text.find("PyTorch loop:          50.0x (rounds 40.0-60.0x)"), std::string::npos)
        << text;
    // 1200/2000 = 60 % and 1000/1500 = 66.7 %: median 63.3 %.
    EXPECT_NE(text.find("ours single pass:             63 % (rounds 60-67 %)"), std::string::npos)
        << text;
    EXPECT_NE(text.find("2 rounds, both sides in each"), std::string::npos) << text;
}

TEST(BenchReportTest, EachApproachShowsItsMedianAndRange) {
    const std::string text = formatBench(twoRounds());
    EXPECT_NE(
        text.find("mc default (encode once)                  300       1100.0  1000.0-1200.0"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("encode once + head T times                300        700.0  600.0-800.0"),
              std::string::npos)
        << text;
}

TEST(BenchReportTest, OneRoundShowsNoRanges) {
    BenchResult r = twoRounds();
    r.rows.resize(2);
    r.rounds.resize(1);
    const std::string text = formatBench(r);
    EXPECT_NE(text.find("best plain-PyTorch MC: 2.00x\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("rounds"), std::string::npos) << text;
    EXPECT_EQ(text.find("range"), std::string::npos) << text;
}

}  // namespace
}  // namespace ue
