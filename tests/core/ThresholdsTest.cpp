#include <gtest/gtest.h>

#include "Error.h"
#include "TestSupport.h"
#include "io/ThresholdsFile.h"
#include "metrics/Thresholds.h"

namespace ue {
namespace {

ImageSummary predicting(int cls, std::vector<float> mean) {
    ImageSummary s;
    s.classes = int(mean.size());
    s.mean = std::move(mean);
    s.argmaxPrediction = cls;
    return s;
}

TEST(Thresholds, PercentileOfCorrectlyClassifiedImagesByHand) {
    ThresholdCollector collector(2);
    // Class 0, correct: 0.6, 0.7, 0.9, 1.0 -> 10th percentile at position 0.3: 0.6 + 0.3 * 0.1
    for (float p : {0.9f, 0.6f, 1.0f, 0.7f}) {
        collector.add(predicting(0, {p, 1 - p}), 0);
    }
    collector.add(predicting(1, {0.2f, 0.8f}), 0);           // misclassified: ignored
    collector.add(predicting(0, {0.55f, 0.45f}), kNoLabel);  // unlabelled: ignored
    const auto t = collector.compute(10.0);
    EXPECT_NEAR(t.thresholds[0], 0.63, 1e-6);
    EXPECT_EQ(t.support[0], 4u);
    EXPECT_FLOAT_EQ(t.thresholds[1], 0.0f);  // no correct image: never rejects
    EXPECT_EQ(t.support[1], 0u);
}

TEST(Thresholds, RuleRejectsBelowTheWinnersThreshold) {
    const std::vector<float> thresholds = {0.63f, 0.9f};
    EXPECT_EQ(thresholdRule(predicting(0, {0.7f, 0.3f}), thresholds), 0);
    EXPECT_EQ(thresholdRule(predicting(0, {0.63f, 0.37f}), thresholds), 0);  // equal passes
    EXPECT_EQ(thresholdRule(predicting(0, {0.6f, 0.4f}), thresholds), kUnclassified);
    EXPECT_EQ(thresholdRule(predicting(1, {0.15f, 0.85f}), thresholds), kUnclassified);
}

TEST(ThresholdsFile, RoundTripsAndRefusesOtherModels) {
    test::TempDir dir;
    ThresholdsFile file;
    file.model = "toy";
    file.method = "mc-dropout";
    file.samples = 50;
    file.classes = {"cat", "dog"};
    file.values.percentile = 5;
    file.values.thresholds = {0.25f, 0.75f};
    file.values.support = {3, 4};
    saveThresholds(file, dir.file("t.json"));
    const auto loaded = loadThresholds(dir.file("t.json"), {"cat", "dog"});
    EXPECT_EQ(loaded.model, "toy");
    EXPECT_EQ(loaded.values.thresholds, file.values.thresholds);
    EXPECT_EQ(loaded.values.support, file.values.support);
    EXPECT_DOUBLE_EQ(loaded.values.percentile, 5.0);
    EXPECT_THROW(loadThresholds(dir.file("t.json"), {"cat", "bird"}), Error);
    EXPECT_THROW(loadThresholds(dir.file("missing.json"), {"cat", "dog"}), Error);
}

}  // namespace
}  // namespace ue
