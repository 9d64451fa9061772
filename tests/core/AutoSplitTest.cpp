// The encode/head split found in the scripted graph of models that do not export one: found where
// a single tensor crosses before the first random op, verified, and draw for draw the same
// samples as running the whole model; refused, with the reason, where no such point exists.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "TestSupport.h"
#include "data/FolderScan.h"
#include "engine/McEngine.h"
#include "model/ModelBundle.h"

namespace ue {
namespace {

class AutoSplitTest : public ::testing::Test {
  protected:
    // Python (torch) writes the models once per test process, into a temp dir.
    static void SetUpTestSuite() {
        dir_ = std::make_unique<test::TempDir>();
        const auto command = std::string(UE_PYTHON) + " " +
                             test::sourcePath("tests/models/make_split_models.py") + " --out " +
                             dir_->path().string();
        made_ = std::system(command.c_str()) == 0;
    }
    static void TearDownTestSuite() { dir_.reset(); }
    void SetUp() override { ASSERT_TRUE(made_) << "tests/models/make_split_models.py failed"; }

    static std::string model(const std::string& name) { return dir_->file(name + ".pt"); }

    static std::vector<ImageResult> run(const ModelBundle& bundle, bool cache) {
        const auto scan = scanInputs({test::demoSamples()}, bundle.meta().classes);
        std::vector<ImageEntry> images;
        for (std::size_t i = 0; i < scan.images.size(); i += 25) {
            images.push_back(scan.images[i]);
        }
        RunOptions options;
        options.method = Method::McDropout;
        options.samples = 20;
        options.seed = 11;
        options.threads = 2;
        options.keepRawSamples = true;
        options.useEncodeCache = cache;
        std::vector<ImageResult> results;
        const auto report = McEngine(bundle).run(images, options, [&](ImageResult&& r) {
            EXPECT_TRUE(r.ok) << r.error;
            results.push_back(std::move(r));
        });
        EXPECT_EQ(report.usedEncodeCache, cache);
        return results;
    }

    static void expectSameDraws(const ModelBundle& bundle) {
        const auto cached = run(bundle, true);
        const auto whole = run(bundle, false);
        ASSERT_EQ(cached.size(), whole.size());
        double spread = 0;
        for (std::size_t i = 0; i < cached.size(); ++i) {
            ASSERT_EQ(cached[i].rawSamples.size(), whole[i].rawSamples.size());
            for (std::size_t k = 0; k < cached[i].rawSamples.size(); ++k) {
                EXPECT_NEAR(cached[i].rawSamples[k], whole[i].rawSamples[k], 1e-6) << i << " " << k;
            }
            spread += cached[i].summary.mutualInformation;
        }
        EXPECT_GT(spread, 0.0);  // the passes really differ
    }

    static std::unique_ptr<test::TempDir> dir_;
    static bool made_;
};

std::unique_ptr<test::TempDir> AutoSplitTest::dir_;
bool AutoSplitTest::made_ = false;

TEST_F(AutoSplitTest, DropoutHeadIsCutAfterTheFeaturesAndGivesTheSameDraws) {
    const auto bundle = ModelBundle::load(model("dropout-head"));
    EXPECT_TRUE(bundle.meta().encodeMethod.empty());
    // Its class, DropoutHead, is no Dropout module itself.
    EXPECT_EQ(bundle.dropoutModules(), (std::vector<std::string>{"classifier.0", "classifier.3"}));
    EXPECT_EQ(bundle.encodeHeadSource(), EncodeHeadSource::Automatic);
    ASSERT_TRUE(bundle.encodeHeadUsable()) << bundle.encodeHeadNote();
    EXPECT_TRUE(bundle.stochasticity().encoderDeterministic);
    // The draws below come from the frozen encoder, compared with whole unfrozen passes.
    EXPECT_TRUE(bundle.cpuFrozen().encoder);
    const auto text = describeEncodeHead(bundle);
    EXPECT_NE(text.find("found automatically in the graph (after aten::flatten; the head starts "
                        "at classifier.0 (aten::dropout))"),
              std::string::npos)
        << text;
    expectSameDraws(bundle);
}

TEST_F(AutoSplitTest, RandomOpsOtherThanDropoutEndTheEncoderToo) {
    const auto bundle = ModelBundle::load(model("late-noise"));
    EXPECT_TRUE(bundle.hasStochasticForward());
    ASSERT_TRUE(bundle.encodeHeadUsable()) << bundle.encodeHeadNote();
    EXPECT_NE(describeEncodeHead(bundle).find("the head starts at aten::randn_like"),
              std::string::npos)
        << describeEncodeHead(bundle);
    expectSameDraws(bundle);
}

TEST_F(AutoSplitTest, NoCutFallsBackToWholePassesAndSaysWhy) {
    const auto input = ModelBundle::load(model("input-dropout"));
    EXPECT_EQ(input.encodeHeadSource(), EncodeHeadSource::None);
    EXPECT_FALSE(input.encodeHeadUsable());
    EXPECT_FALSE(input.cpuFrozen().encoder);
    EXPECT_TRUE(input.stochasticity().passesDiffer);
    EXPECT_EQ(describeEncodeHead(input),
              "not exported, and the graph has no cut: the input itself reaches drop "
              "(aten::dropout), as with dropout at the input or a skip connection around the "
              "dropout; every Monte Carlo pass runs the whole model");

    const auto branches = ModelBundle::load(model("two-branch"));
    EXPECT_EQ(branches.encodeHeadSource(), EncodeHeadSource::None);
    EXPECT_NE(branches.encodeHeadNote().find("two or more values cross every cut before it"),
              std::string::npos)
        << branches.encodeHeadNote();
    const auto results = run(branches, false);
    EXPECT_FALSE(results.empty());
}

TEST(AutoSplitDeclared, DeclaredMethodsTakePrecedence) {
    const auto bundle = ModelBundle::load(test::demoModel());
    EXPECT_EQ(bundle.encodeHeadSource(), EncodeHeadSource::Declared);
    EXPECT_TRUE(bundle.cpuFrozen().encoder);
    EXPECT_EQ(describeEncodeHead(bundle),
              "encode / head: verified, the encoder runs once per image");
}

}  // namespace
}  // namespace ue
