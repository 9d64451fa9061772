#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "engine/DeviceSummaries.h"

namespace ue {
namespace {

// Samples with the awkward cases: exact zeros and ones, identical passes, ties, one NaN image.
std::vector<float> awkwardSamples(int images, int samples, int classes) {
    std::mt19937 random(11);
    std::gamma_distribution<double> gamma(0.4, 1.0);
    std::vector<float> probs(std::size_t(images) * samples * classes);
    for (int i = 0; i < images; ++i) {
        for (int t = 0; t < samples; ++t) {
            float* row = probs.data() + (std::size_t(i) * samples + t) * classes;
            if (i == 1) {  // every pass certain of class 2
                row[2] = 1.f;
                continue;
            }
            if (i == 2 && t > 0) {  // identical passes
                std::copy_n(row - classes, classes, row);
                continue;
            }
            double sum = 0;
            for (int c = 0; c < classes; ++c) {
                sum += row[c] = (i == 3 && c == 0) ? 0.f : float(gamma(random));
            }
            for (int c = 0; c < classes; ++c) {
                row[c] = float(row[c] / sum);
            }
        }
    }
    probs[std::size_t(4) * samples * classes + 3] = std::numeric_limits<float>::quiet_NaN();
    return probs;
}

void expectClose(const std::vector<float>& a, const std::vector<float>& b, double tolerance,
                 const char* what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (std::size_t c = 0; c < a.size(); ++c) {
        EXPECT_NEAR(a[c], b[c], tolerance) << what << " class " << c;
    }
}

TEST(DeviceSummaries, AgreeWithTheHostSummaries) {
    for (int samples : {1, 2, 33, 100}) {
        const int images = 6;
        const int classes = 7;
        const auto probs = awkwardSamples(images, samples, classes);
        SummaryOptions options;
        options.histogramBins = 13;
        std::vector<bool> finite;
        const auto ours =
            summarizeOnDevice(probs.data(), images, samples, classes, options, "cpu", finite, 3);
        ASSERT_EQ(ours.size(), std::size_t(images));
        for (int i = 0; i < images; ++i) {
            SCOPED_TRACE("image " + std::to_string(i) + ", T = " + std::to_string(samples));
            if (i == 4) {
                EXPECT_FALSE(finite[4]);
                continue;
            }
            ASSERT_TRUE(finite[std::size_t(i)]);
            const auto expected = summarizeSamples(
                probs.data() + std::size_t(i) * samples * classes, samples, classes, options);
            const auto& s = ours[std::size_t(i)];
            EXPECT_EQ(s.samples, samples);
            expectClose(s.mean, expected.mean, 1e-6, "mean");
            expectClose(s.stddev, expected.stddev, 1e-6, "stddev");
            expectClose(s.median, expected.median, 1e-6, "median");
            expectClose(s.q10, expected.q10, 1e-6, "q10");
            expectClose(s.q25, expected.q25, 1e-6, "q25");
            expectClose(s.q75, expected.q75, 1e-6, "q75");
            expectClose(s.q90, expected.q90, 1e-6, "q90");
            EXPECT_EQ(s.histograms, expected.histograms);
            EXPECT_NEAR(s.predictiveEntropy, expected.predictiveEntropy, 1e-9);
            EXPECT_NEAR(s.expectedEntropy, expected.expectedEntropy, 1e-9);
            EXPECT_NEAR(s.mutualInformation, expected.mutualInformation, 1e-9);
            EXPECT_NEAR(s.probabilityVariance, expected.probabilityVariance, 1e-7);
            EXPECT_DOUBLE_EQ(s.variationRatio, expected.variationRatio);
            EXPECT_EQ(s.argmaxPrediction, expected.argmaxPrediction);
            EXPECT_EQ(s.medianRulePrediction, expected.medianRulePrediction);
            EXPECT_NEAR(s.margin, expected.margin, 1e-6);
        }
    }
}

}  // namespace
}  // namespace ue
