#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "TestSupport.h"
#include "analysis/GammaSweep.h"
#include "augment/Augmenter.h"
#include "data/FolderScan.h"
#include "data/ImageLoader.h"
#include "engine/McEngine.h"
#include "model/ModelBundle.h"

namespace ue {
namespace {

// A 5 x 4 single-channel image with distinct values, so any misplaced pixel shows.
cv::Mat rampImage() {
    cv::Mat image(4, 5, CV_32F);
    for (int y = 0; y < image.rows; ++y) {
        for (int x = 0; x < image.cols; ++x) {
            image.at<float>(y, x) = float(y * image.cols + x) / 20.0f;
        }
    }
    return image;
}

double maxAbsDifference(const cv::Mat& a, const cv::Mat& b) {
    return cv::norm(a, b, cv::NORM_INF);
}

TEST(AugmentPolicy, JsonRoundTripsEveryField) {
    AugmentPolicy policy;
    policy.copies = 12;
    policy.includeOriginal = true;
    policy.flipProbability = 0.5;
    policy.maxShift = 0.1;
    policy.maxRotationDegrees = 15;
    policy.maxScale = 0.2;
    policy.brightness = 0.05;
    policy.contrast = 0.3;
    policy.gamma = 0.4;
    policy.noiseStd = 0.02;
    policy.border = AugmentBorder::Zero;
    policy.seed = 987654321987ull;
    const AugmentPolicy back = augmentPolicyFromJson(augmentPolicyToJson(policy));
    EXPECT_EQ(augmentPolicyToJson(back), augmentPolicyToJson(policy));
    EXPECT_EQ(back.copies, 12);
    EXPECT_TRUE(back.includeOriginal);
    EXPECT_EQ(back.border, AugmentBorder::Zero);
    EXPECT_EQ(back.seed, 987654321987ull);
    EXPECT_DOUBLE_EQ(back.noiseStd, 0.02);
}

TEST(AugmentPolicy, RejectsUnknownKeysAndValuesOutOfRange) {
    EXPECT_THROW(augmentPolicyFromJson(R"({"copies": 4, "flop": 0.5})"), std::invalid_argument);
    EXPECT_THROW(augmentPolicyFromJson(R"({"copies": 4, "flip": 1.5})"), std::invalid_argument);
    EXPECT_THROW(augmentPolicyFromJson(R"({"copies": -1})"), std::invalid_argument);
    EXPECT_THROW(augmentPolicyFromJson(R"({"copies": 4, "border": "wrap"})"),
                 std::invalid_argument);
    EXPECT_THROW(augmentPolicyFromJson("[1, 2]"), std::invalid_argument);
    EXPECT_THROW(augmentPolicyFromJson(R"({"copies": 2.7})"), std::invalid_argument);
    EXPECT_THROW(augmentPolicyFromJson(R"({"copies": 99999999999})"), std::invalid_argument);
    EXPECT_THROW(augmentPolicyFromJson(R"({"copies": 2, "seed": -1})"), std::invalid_argument);
    EXPECT_THROW(augmentPolicyFromJson("{not json"), std::invalid_argument);
    try {
        augmentPolicyFromJson(R"({"copies": 4, "rotate_degrees": 400})");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("rotation"), std::string::npos) << e.what();
    }
}

TEST(AugmentPolicy, DescribeNamesTheActiveTransforms) {
    AugmentPolicy policy;
    EXPECT_EQ(describe(policy), "no augmentation");
    policy.copies = 20;
    policy.flipProbability = 0.5;
    policy.maxRotationDegrees = 10;
    EXPECT_EQ(describe(policy), "TTA x20: flip 0.5, rotate 10°");
}

TEST(AugmentDraw, DependsOnlyOnSeedImageAndCopy) {
    AugmentPolicy policy;
    policy.copies = 8;
    policy.maxShift = 0.2;
    policy.maxRotationDegrees = 30;
    const AugmentDraw a = drawAugmentation(policy, 7, 3);
    const AugmentDraw again = drawAugmentation(policy, 7, 3);
    EXPECT_EQ(a.shiftX, again.shiftX);
    EXPECT_EQ(a.rotationDegrees, again.rotationDegrees);
    EXPECT_NE(a.shiftX, drawAugmentation(policy, 7, 4).shiftX);
    EXPECT_NE(a.shiftX, drawAugmentation(policy, 8, 3).shiftX);
    policy.seed = 1;
    EXPECT_NE(a.shiftX, drawAugmentation(policy, 7, 3).shiftX);
    policy.seed = 0;
    // Switching another transform on leaves the existing draws as they were.
    policy.brightness = 0.1;
    EXPECT_EQ(a.shiftX, drawAugmentation(policy, 7, 3).shiftX);
    EXPECT_LE(std::abs(a.shiftX), 0.2);
    EXPECT_LE(std::abs(a.rotationDegrees), 30);
}

TEST(AugmentDraw, RangesAreRespectedAndCovered) {
    AugmentPolicy policy;
    policy.copies = 1;
    policy.flipProbability = 0.5;
    policy.maxScale = 0.2;
    policy.gamma = 0.5;  // gamma in [1/1.5, 1.5]
    int flips = 0;
    double minScale = 2, maxScale = 0, minGamma = 9, maxGamma = 0;
    for (int image = 0; image < 2000; ++image) {
        const AugmentDraw draw = drawAugmentation(policy, image, 0);
        flips += draw.flip;
        minScale = std::min(minScale, draw.scale);
        maxScale = std::max(maxScale, draw.scale);
        minGamma = std::min(minGamma, draw.gamma);
        maxGamma = std::max(maxGamma, draw.gamma);
    }
    EXPECT_NEAR(flips / 2000.0, 0.5, 0.05);
    EXPECT_GE(minScale, 0.8);
    EXPECT_LT(minScale, 0.81);
    EXPECT_LE(maxScale, 1.2);
    EXPECT_GT(maxScale, 1.19);
    EXPECT_GE(minGamma, 1 / 1.5 - 1e-12);
    EXPECT_LT(minGamma, 0.68);
    EXPECT_LE(maxGamma, 1.5 + 1e-12);
    EXPECT_GT(maxGamma, 1.48);
}

TEST(AugmentDraw, KeptOriginalIsTheIdentity) {
    AugmentPolicy policy;
    policy.copies = 4;
    policy.includeOriginal = true;
    policy.flipProbability = 1;
    policy.noiseStd = 0.1;
    policy.brightness = 0.3;
    const cv::Mat image = rampImage();
    const AugmentDraw original = drawAugmentation(policy, 5, 0);
    EXPECT_EQ(maxAbsDifference(applyAugmentation(image, original, policy.border), image), 0.0);
    EXPECT_TRUE(drawAugmentation(policy, 5, 1).flip);
}

TEST(Augmenter, FlipMirrorsExactly) {
    AugmentDraw draw;
    draw.flip = true;
    const cv::Mat image = rampImage();
    cv::Mat expected(image.size(), CV_32F);
    for (int y = 0; y < image.rows; ++y) {
        for (int x = 0; x < image.cols; ++x) {
            expected.at<float>(y, x) = image.at<float>(y, image.cols - 1 - x);
        }
    }
    EXPECT_EQ(maxAbsDifference(applyAugmentation(image, draw, AugmentBorder::Zero), expected), 0);
}

TEST(Augmenter, WholePixelShiftMovesPixelsAndFillsTheBorder) {
    AugmentDraw draw;
    draw.shiftX = 2.0 / 5;   // two pixels right
    draw.shiftY = -1.0 / 4;  // one pixel up
    const cv::Mat image = rampImage();
    const cv::Mat shifted = applyAugmentation(image, draw, AugmentBorder::Zero);
    for (int y = 0; y < image.rows; ++y) {
        for (int x = 0; x < image.cols; ++x) {
            const int sx = x - 2, sy = y + 1;
            const bool inside = sx >= 0 && sy < image.rows;
            const float expected = inside ? image.at<float>(sy, sx) : 0.0f;
            EXPECT_NEAR(shifted.at<float>(y, x), expected, 1e-6) << x << "," << y;
        }
    }
    // With the mirror composed in, the shift applies to the mirrored image.
    draw.flip = true;
    cv::Mat mirrored;
    cv::flip(image, mirrored, 1);
    AugmentDraw shiftOnly = draw;
    shiftOnly.flip = false;
    EXPECT_LT(maxAbsDifference(applyAugmentation(image, draw, AugmentBorder::Zero),
                               applyAugmentation(mirrored, shiftOnly, AugmentBorder::Zero)),
              1e-6);
}

TEST(Augmenter, QuarterTurnOfASquareIsARotation) {
    cv::Mat image(5, 5, CV_32F);
    cv::randu(image, 0.0, 1.0);
    AugmentDraw draw;
    draw.rotationDegrees = 90;  // counter-clockwise, OpenCV's convention
    cv::Mat expected;
    cv::rotate(image, expected, cv::ROTATE_90_COUNTERCLOCKWISE);
    EXPECT_LT(maxAbsDifference(applyAugmentation(image, draw, AugmentBorder::Zero), expected),
              1e-5);
}

TEST(Augmenter, PhotometricTransformsMatchHandComputation) {
    const cv::Mat image = rampImage();  // values 0 .. 0.95, mean 0.475
    AugmentDraw draw;
    draw.gamma = 2;
    draw.contrast = 1.5;
    draw.brightness = 0.1;
    const cv::Mat out = applyAugmentation(image, draw, AugmentBorder::Reflect);
    double meanOfSquares = 0;
    for (int i = 0; i < 20; ++i) {
        meanOfSquares += (i / 20.0) * (i / 20.0) / 20;
    }
    for (int i = 0; i < 20; ++i) {
        const double squared = (i / 20.0) * (i / 20.0);
        const double expected =
            std::clamp((squared - meanOfSquares) * 1.5 + meanOfSquares + 0.1, 0.0, 1.0);
        EXPECT_NEAR(out.at<float>(i / 5, i % 5), expected, 1e-6) << i;
    }
}

TEST(Augmenter, NoiseHasTheRequestedSpreadAndIsReproducible) {
    const cv::Mat image(64, 64, CV_32F, cv::Scalar(0.5));
    AugmentDraw draw;
    draw.noiseStd = 0.05;
    draw.noiseSeed = 42;
    const cv::Mat a = applyAugmentation(image, draw, AugmentBorder::Reflect);
    const cv::Mat b = applyAugmentation(image, draw, AugmentBorder::Reflect);
    EXPECT_EQ(maxAbsDifference(a, b), 0);
    cv::Scalar mean, stddev;
    cv::meanStdDev(a, mean, stddev);
    EXPECT_NEAR(mean[0], 0.5, 0.005);
    EXPECT_NEAR(stddev[0], 0.05, 0.003);
}

class AugmentedRunTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        twin_ = new ModelBundle(ModelBundle::load(test::deterministicTwin()));
        auto scan = scanInputs({test::demoSamples()}, twin_->meta().classes);
        for (std::size_t i = 0; i < scan.images.size(); i += 30) {
            images_.push_back(scan.images[i]);
        }
    }
    static void TearDownTestSuite() {
        delete twin_;
        twin_ = nullptr;
    }
    static std::vector<ImageResult> run(const RunOptions& options) {
        std::vector<ImageResult> results;
        McEngine(*twin_).run(images_, options,
                             [&](ImageResult&& r) { results.push_back(std::move(r)); });
        return results;
    }
    static RunOptions deterministic() {
        RunOptions options;
        options.method = Method::Deterministic;
        options.threads = 2;
        return options;
    }
    static ModelBundle* twin_;
    static std::vector<ImageEntry> images_;
};

ModelBundle* AugmentedRunTest::twin_ = nullptr;
std::vector<ImageEntry> AugmentedRunTest::images_;

TEST_F(AugmentedRunTest, GivesADeterministicModelSpreadOverCopies) {
    RunOptions options = deterministic();
    options.augment.copies = 16;
    options.augment.flipProbability = 0.5;
    options.augment.maxShift = 0.1;
    options.augment.maxRotationDegrees = 15;
    options.keepRawSamples = true;
    const auto results = run(options);
    ASSERT_EQ(results.size(), images_.size());
    int withSpread = 0;
    for (const auto& r : results) {
        ASSERT_TRUE(r.ok) << r.error;
        EXPECT_EQ(r.summary.samples, 16);
        EXPECT_EQ(r.rawSamples.size(), 16u * r.summary.classes);
        const float spread = *std::max_element(r.summary.stddev.begin(), r.summary.stddev.end());
        withSpread += spread > 1e-3f;
        EXPECT_GT(r.summary.predictiveEntropy, r.summary.expectedEntropy - 1e-9);
    }
    EXPECT_GE(withSpread, int(images_.size()) / 2);
}

TEST_F(AugmentedRunTest, NumbersDoNotDependOnBatchingOrThreads) {
    RunOptions options = deterministic();
    options.augment.copies = 6;
    options.augment.maxShift = 0.1;
    options.augment.noiseStd = 0.05;
    options.augment.seed = 3;
    const auto wide = run(options);
    options.memoryBudgetBytes = 1 << 16;  // a couple of images per batch
    options.threads = 1;
    const auto narrow = run(options);
    ASSERT_EQ(wide.size(), narrow.size());
    for (std::size_t i = 0; i < wide.size(); ++i) {
        for (std::size_t c = 0; c < wide[i].summary.mean.size(); ++c) {
            EXPECT_NEAR(wide[i].summary.mean[c], narrow[i].summary.mean[c], 1e-5);
        }
    }
}

// An independent oracle: the original and a mirror made by OpenCV's own flip, through the
// plain deterministic path, averaged by hand.
TEST_F(AugmentedRunTest, OriginalPlusMirrorIsTheMeanOfBothPlainRuns) {
    RunOptions options = deterministic();
    options.augment.copies = 2;
    options.augment.includeOriginal = true;
    options.augment.flipProbability = 1;
    const auto tta = run(options);

    const InputSpec& spec = twin_->meta().input;
    std::vector<float> inputs;
    for (const auto& image : images_) {
        const cv::Mat pixels = toModelPixels(decodeImageFile(image.path), spec, image.path);
        cv::Mat mirrored;
        cv::flip(pixels, mirrored, 1);
        for (const cv::Mat& m : {pixels, mirrored}) {
            const std::size_t at = inputs.size();
            inputs.resize(at + std::size_t(spec.channels) * spec.height * spec.width);
            normalizeToChw(m, spec, inputs.data() + at);
        }
    }
    std::vector<ImageResult> plain;
    McEngine(*twin_).runPreprocessed(inputs, deterministic(),
                                     [&](ImageResult&& r) { plain.push_back(std::move(r)); });
    ASSERT_EQ(plain.size(), 2 * tta.size());
    for (std::size_t i = 0; i < tta.size(); ++i) {
        ASSERT_TRUE(tta[i].ok);
        for (std::size_t c = 0; c < tta[i].summary.mean.size(); ++c) {
            const double expected =
                (plain[2 * i].summary.mean[c] + plain[2 * i + 1].summary.mean[c]) / 2;
            EXPECT_NEAR(tta[i].summary.mean[c], expected, 1e-5) << i << "/" << c;
        }
    }
}

TEST_F(AugmentedRunTest, OneUntouchedCopyIsThePlainRun) {
    RunOptions options = deterministic();
    const auto plain = run(options);
    options.augment.copies = 1;
    options.augment.includeOriginal = true;
    options.augment.maxRotationDegrees = 30;
    const auto tta = run(options);
    ASSERT_EQ(plain.size(), tta.size());
    for (std::size_t i = 0; i < plain.size(); ++i) {
        for (std::size_t c = 0; c < plain[i].summary.mean.size(); ++c) {
            EXPECT_NEAR(plain[i].summary.mean[c], tta[i].summary.mean[c], 1e-6);
        }
    }
}

TEST_F(AugmentedRunTest, CombinesWithMonteCarloDropout) {
    const ModelBundle mcModel = ModelBundle::load(test::demoModel());
    RunOptions options;
    options.samples = 5;
    options.threads = 2;
    options.augment.copies = 4;
    options.augment.maxShift = 0.05;
    std::vector<ImageResult> results;
    const RunReport report = McEngine(mcModel).run(
        images_, options, [&](ImageResult&& r) { results.push_back(std::move(r)); });
    EXPECT_EQ(report.samples, 5);
    EXPECT_EQ(report.copies, 4);
    ASSERT_FALSE(results.empty());
    for (const auto& r : results) {
        ASSERT_TRUE(r.ok) << r.error;
        EXPECT_EQ(r.summary.samples, 20);
    }
}

TEST_F(AugmentedRunTest, RefusesMoreSamplesOrMemoryThanItCanHold) {
    const ModelBundle mcModel = ModelBundle::load(test::demoModel());
    RunOptions options;
    options.samples = 1000;
    options.augment.copies = 2000;  // 2 million samples per image
    EXPECT_THROW(McEngine(mcModel).run(images_, options, [](ImageResult&&) {}),
                 std::invalid_argument);
    RunOptions tight = deterministic();
    tight.augment.copies = 10000;
    tight.memoryBudgetBytes = 1 << 20;  // 10000 copies of 28 x 28 take 30 MiB
    EXPECT_THROW(McEngine(*twin_).run(images_, tight, [](ImageResult&&) {}), std::invalid_argument);
}

TEST_F(AugmentedRunTest, PreprocessedTensorsCannotBeAugmented) {
    RunOptions options = deterministic();
    options.augment.copies = 3;
    const InputSpec& spec = twin_->meta().input;
    const std::vector<float> inputs(std::size_t(spec.channels) * spec.height * spec.width, 0.0f);
    EXPECT_THROW(McEngine(*twin_).runPreprocessed(inputs, options, [](ImageResult&&) {}),
                 std::invalid_argument);
}

TEST_F(AugmentedRunTest, GammaSweepAtOneEqualsThePlainAugmentedRun) {
    RunOptions options = deterministic();
    options.augment.copies = 5;
    options.augment.maxRotationDegrees = 20;
    options.augment.brightness = 0.1;
    const auto plain = run(options);
    McEngine engine(*twin_);
    std::vector<GammaResult> sweep;
    runGammaSweep(engine, *twin_, images_, {0.5, 1.0}, options,
                  [&](GammaResult&& r) { sweep.push_back(std::move(r)); });
    ASSERT_EQ(sweep.size(), 2 * plain.size());
    for (const auto& r : sweep) {
        if (r.gamma != 1.0) {
            continue;
        }
        const auto& expected = plain[r.imageIndex].summary;
        EXPECT_EQ(r.result.summary.samples, 5);
        for (std::size_t c = 0; c < expected.mean.size(); ++c) {
            EXPECT_NEAR(r.result.summary.mean[c], expected.mean[c], 1e-6);
        }
    }
}

}  // namespace
}  // namespace ue
