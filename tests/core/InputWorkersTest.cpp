// Per-image CPU runs put images side by side on the threads (BatchRunner's input workers): every
// pass and logit draw must be the number a one-thread run gives, and a model that draws from
// LibTorch's generator itself must run its images one after another.
#include <gtest/gtest.h>

#include <filesystem>

#include "TestSupport.h"
#include "data/FolderScan.h"
#include "engine/McEngine.h"
#include "model/ModelBundle.h"

namespace ue {
namespace {

struct Run {
    RunReport report;
    std::vector<ImageResult> results;
};

Run runOn(const ModelBundle& bundle, RunOptions options, int threads) {
    auto scan = scanInputs({test::demoSamples()}, bundle.meta().classes);
    std::vector<ImageEntry> images;
    for (std::size_t i = 0; i < scan.images.size(); i += 11) {  // 28 images, all classes
        images.push_back(scan.images[i]);
    }
    options.threads = threads;
    options.keepRawSamples = true;
    Run run;
    run.report = McEngine(bundle).run(
        images, options, [&](ImageResult&& r) { run.results.push_back(std::move(r)); });
    return run;
}

// Runs on one thread and on two; returns the two-thread run's input workers after checking that
// every raw sample (and logit variance) is bitwise the one-thread run's.
int expectSameSamplesOnOneAndTwoThreads(const std::string& model, const RunOptions& options) {
    const std::string path = test::sourcePath(model);
    if (!std::filesystem::exists(path)) {
        ADD_FAILURE() << path << " is missing";
        return 0;
    }
    const auto bundle = ModelBundle::load(path);
    const Run one = runOn(bundle, options, 1);
    const Run two = runOn(bundle, options, 2);
    EXPECT_EQ(one.report.inputWorkers, 1);
    EXPECT_EQ(one.report.succeeded, one.results.size());
    EXPECT_GT(one.results.size(), 20u);
    EXPECT_EQ(one.results.size(), two.results.size());
    for (std::size_t i = 0; i < std::min(one.results.size(), two.results.size()); ++i) {
        EXPECT_FALSE(one.results[i].rawSamples.empty());
        EXPECT_EQ(one.results[i].rawSamples, two.results[i].rawSamples) << model << " image " << i;
        EXPECT_EQ(one.results[i].summary.logitVariance, two.results[i].summary.logitVariance);
    }
    return two.report.inputWorkers;
}

RunOptions monteCarlo(int samples) {
    RunOptions options;
    options.samples = samples;
    options.seed = 21;
    return options;
}

TEST(InputWorkers, McDropoutImagesRunSideBySideWithTheirOwnMasks) {
    EXPECT_EQ(expectSameSamplesOnOneAndTwoThreads("models/fmnist-mc-cnn.pt", monteCarlo(30)), 2);
}

TEST(InputWorkers, WholeModelPassesToo) {
    auto options = monteCarlo(12);
    options.useEncodeCache = false;
    EXPECT_EQ(expectSameSamplesOnOneAndTwoThreads("models/fmnist-mc-cnn.pt", options), 2);
}

TEST(InputWorkers, HeteroscedasticDrawsComeFromEachImagesOwnGenerator) {
    auto options = monteCarlo(6);
    options.logitSamples = 9;
    EXPECT_EQ(expectSameSamplesOnOneAndTwoThreads("models/fmnist-hetero-cnn.pt", options), 2);
    auto deterministic = options;
    deterministic.method = Method::Deterministic;
    EXPECT_EQ(expectSameSamplesOnOneAndTwoThreads("models/fmnist-hetero-cnn.pt", deterministic), 2);
}

TEST(InputWorkers, EnsembleMembersAndAugmentedCopies) {
    RunOptions options;
    options.method = Method::Deterministic;
    EXPECT_EQ(expectSameSamplesOnOneAndTwoThreads("models/fmnist-ensemble.json", options), 2);
    auto augmented = monteCarlo(5);
    augmented.augment.copies = 3;
    augmented.augment.maxShift = 0.1;
    augmented.augment.noiseStd = 0.05;
    EXPECT_EQ(expectSameSamplesOnOneAndTwoThreads("models/fmnist-mc-cnn.pt", augmented), 2);
}

// Bayes-by-backprop samples its weights from LibTorch's generator inside the model: side by side,
// its images would take each other's draws.
TEST(InputWorkers, AModelThatDrawsItselfRunsOneImageAtATime) {
    EXPECT_EQ(expectSameSamplesOnOneAndTwoThreads("models/fmnist-bbb-cnn.pt", monteCarlo(10)), 1);
}

// A budget too small for two images' calls at once keeps them one after another.
TEST(InputWorkers, TheMemoryBudgetLimitsHowManyRunAtOnce) {
    auto options = monteCarlo(30);
    options.useEncodeCache = false;
    options.memoryBudgetBytes = 30 * 28 * 28 * 4 * 32 + 1;  // one call of 30 whole-model rows
    EXPECT_EQ(expectSameSamplesOnOneAndTwoThreads("models/fmnist-mc-cnn.pt", options), 1);
}

}  // namespace
}  // namespace ue
