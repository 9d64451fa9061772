#include <fstream>
#include <iterator>
#include <sstream>

#include <gtest/gtest.h>

#include "Error.h"
#include "TestSupport.h"
#include "io/ThresholdsFile.h"
#include "metrics/ThresholdStudy.h"
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

TEST(ThresholdStudy, BeforeAndAfterPerTrueClassByHand) {
    ThresholdEvaluator evaluator(2);
    // True class 0: right at 0.9 and 0.6, wrong (says 1) at 0.8.
    evaluator.add(predicting(0, {0.9f, 0.1f}), 0);
    evaluator.add(predicting(0, {0.6f, 0.4f}), 0);
    evaluator.add(predicting(1, {0.2f, 0.8f}), 0);
    // True class 1: right at 0.95, wrong (says 0) at 0.55.
    evaluator.add(predicting(1, {0.05f, 0.95f}), 1);
    evaluator.add(predicting(0, {0.55f, 0.45f}), 1);
    evaluator.add(predicting(0, {0.7f, 0.3f}), kNoLabel);  // unlabelled: ignored
    EXPECT_EQ(evaluator.labelled(), 5u);

    // Class 0 needs 0.65, class 1 needs 0.9: the 0.6 and 0.55 (said 0) and the 0.8 (said 1) go.
    const ThresholdStudy study = evaluator.evaluate({0.65f, 0.9f});
    const ThresholdOutcome& c0 = study.perClass[0];
    EXPECT_EQ(c0.images, 3u);
    EXPECT_DOUBLE_EQ(c0.accuracyBefore(), 2.0 / 3.0);
    EXPECT_EQ(c0.covered, 1u);  // only the 0.9
    EXPECT_DOUBLE_EQ(c0.coverage(), 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(c0.accuracyAfter(), 1.0);
    const ThresholdOutcome& c1 = study.perClass[1];
    EXPECT_EQ(c1.images, 2u);
    EXPECT_DOUBLE_EQ(c1.accuracyBefore(), 0.5);
    EXPECT_EQ(c1.covered, 1u);  // the 0.95
    EXPECT_DOUBLE_EQ(c1.accuracyAfter(), 1.0);
    EXPECT_EQ(study.overall.images, 5u);
    EXPECT_DOUBLE_EQ(study.overall.accuracyBefore(), 3.0 / 5.0);
    EXPECT_DOUBLE_EQ(study.overall.coverage(), 2.0 / 5.0);
    EXPECT_DOUBLE_EQ(study.overall.accuracyAfter(), 1.0);

    // No thresholds: nothing rejected, after = before.
    const ThresholdStudy none = evaluator.evaluate({});
    EXPECT_DOUBLE_EQ(none.overall.coverage(), 1.0);
    EXPECT_DOUBLE_EQ(none.overall.accuracyAfter(), none.overall.accuracyBefore());

    std::ostringstream csv;
    writeThresholdStudyCsv(csv, study, {"a", "b"}, {0.65f, 0.9f}, {2, 1});
    EXPECT_EQ(csv.str(),
              "class,threshold,val_support,images,accuracy_before,coverage,accuracy_after,"
              "unclassified\r\n"
              "a,0.649999976,2,3,0.666666667,0.333333333,1,2\r\n"
              "b,0.899999976,1,2,0.5,0.5,1,1\r\n"
              "all,,,5,0.6,0.4,1,3\r\n");
}

TEST(ThresholdStudy, AgreesWithTheRuleOnEveryImage) {
    // The evaluator's covered count equals counting thresholdRule() != unclassified.
    const std::vector<float> thresholds = {0.5f, 0.7f, 0.6f};
    ThresholdEvaluator evaluator(3);
    std::size_t covered = 0;
    for (int i = 0; i < 60; ++i) {
        const float top = 0.34f + 0.011f * float(i);
        const int cls = i % 3;
        std::vector<float> mean(3, (1 - top) / 2);
        mean[std::size_t(cls)] = top;
        const ImageSummary s = predicting(cls, mean);
        evaluator.add(s, (i / 3) % 3);
        covered += thresholdRule(s, thresholds) != kUnclassified;
    }
    EXPECT_EQ(evaluator.evaluate(thresholds).overall.covered, covered);
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

TEST(ThresholdsFile, RefusesThresholdsThatAreNotProbabilities) {
    test::TempDir dir;
    ThresholdsFile file;
    file.classes = {"cat", "dog"};
    file.values.thresholds = {0.5f, -1.0f};
    saveThresholds(file, dir.file("t.json"));
    try {
        loadThresholds(dir.file("t.json"), {"cat", "dog"});
        FAIL() << "a threshold of -1 was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("the threshold of class \"dog\" is -1.000000, not a "
                                             "probability in [0, 1]"),
                  std::string::npos)
            << e.what();
    }
    file.values.thresholds = {1.0f, 0.0f};  // the ends are fine
    saveThresholds(file, dir.file("t.json"));
    EXPECT_NO_THROW(loadThresholds(dir.file("t.json"), {"cat", "dog"}));
}

TEST(ThresholdsFile, RecordsTheSeedAndReadsFilesWithoutOne) {
    test::TempDir dir;
    ThresholdsFile file;
    file.classes = {"cat", "dog"};
    file.values.thresholds = {0.25f, 0.75f};
    file.seed = 18446744073709551615ULL;  // the largest --seed
    saveThresholds(file, dir.file("t.json"));
    EXPECT_EQ(loadThresholds(dir.file("t.json"), {"cat", "dog"}).seed,
              std::optional<std::uint64_t>(18446744073709551615ULL));
    // A file from before the seed was recorded (and one made from results files) has none.
    file.seed.reset();
    saveThresholds(file, dir.file("old.json"));
    std::ifstream in(dir.file("old.json"));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find("\"seed\""), std::string::npos);
    EXPECT_EQ(loadThresholds(dir.file("old.json"), {"cat", "dog"}).seed, std::nullopt);
}

TEST(ThresholdsFile, SaysHowAnotherRunDiffers) {
    ThresholdsFile file;
    file.model = "fmnist-mc-cnn";
    file.method = "mc-dropout";
    file.samples = 30;
    ThresholdsRun run{"fmnist-mc-cnn", "mc-dropout", 30, {}};
    EXPECT_TRUE(thresholdsRunDifferences(file, run).empty());

    run.model = "fmnist-det-cnn";
    run.method = "deterministic";
    run.samples = 1;
    // T follows from the method here: only the model and the method are named.
    EXPECT_EQ(thresholdsRunDifferences(file, run),
              (std::vector<std::string>{
                  "computed for model \"fmnist-mc-cnn\", this run uses model \"fmnist-det-cnn\"",
                  "computed with mc-dropout, this run uses deterministic"}));

    run = {"fmnist-mc-cnn", "mc-dropout", 10, {}};
    EXPECT_EQ(thresholdsRunDifferences(file, run),
              (std::vector<std::string>{"computed with T = 30 passes, this run uses T = 10"}));

    AugmentPolicy tta;
    tta.copies = 3;
    tta.flipProbability = 0.5;
    run = {"fmnist-mc-cnn", "mc-dropout", 30, tta};
    EXPECT_EQ(thresholdsRunDifferences(file, run),
              (std::vector<std::string>{"computed with no augmentation, this run uses " +
                                        describe(tta)}));

    // What the file does not record is not compared: an old file's empty fields, and the
    // method, T and augmentation of thresholds made from results files (the augmentation such
    // a file holds is the thresholds command's own, not the rows').
    const ThresholdsRun other{"other", "deterministic", 1, tta};
    ThresholdsFile old;
    EXPECT_EQ(thresholdsRunDifferences(old, other),
              (std::vector<std::string>{"computed with no augmentation, this run uses " +
                                        describe(tta)}));
    file.method = kThresholdsFromResults;
    EXPECT_EQ(thresholdsRunDifferences(file, other),
              (std::vector<std::string>{
                  "computed for model \"fmnist-mc-cnn\", this run uses model \"other\""}));
}

}  // namespace
}  // namespace ue
