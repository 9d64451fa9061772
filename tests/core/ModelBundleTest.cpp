#include <gtest/gtest.h>

#include <fstream>

#include "Error.h"
#include "TestSupport.h"
#include "model/ModelBundle.h"

namespace ue {
namespace {

TEST(ModelBundle, DemoModelLoadsWithItsMetaAndDropout) {
    const auto bundle = ModelBundle::load(test::demoModel());
    EXPECT_EQ(bundle.meta().name, "fmnist-mc-cnn");
    ASSERT_EQ(bundle.meta().classes.size(), 10u);
    EXPECT_EQ(bundle.meta().classes[0], "T-shirt/top");
    EXPECT_EQ(bundle.meta().input.channels, 1);
    EXPECT_EQ(bundle.meta().input.height, 28);
    EXPECT_EQ(bundle.metaSource(), "embedded meta.json");
    EXPECT_FALSE(bundle.dropoutModules().empty());
    EXPECT_TRUE(bundle.encodeHeadUsable()) << bundle.encodeHeadNote();
    EXPECT_TRUE(bundle.stochasticity().passesDiffer);
    EXPECT_TRUE(bundle.stochasticity().encoderDeterministic);
    // Both of its CPU calls that do no random work agree with their frozen, oneDNN copies (the
    // numbers they give are compared with PyTorch's in cli.oracle_deterministic / oracle_mc).
    EXPECT_TRUE(bundle.cpuFrozen().forward);
    EXPECT_TRUE(bundle.cpuFrozen().encoder);
    EXPECT_EQ(bundle.cpuFrozen().note, "");
    EXPECT_EQ(describeCpuFrozen(bundle),
              "a frozen copy compiled to oneDNN kernels runs deterministic passes and the "
              "encoder; Monte Carlo passes run the model as scripted");
}

TEST(ModelBundle, DeterministicTwinHasNothingStochastic) {
    const auto bundle = ModelBundle::load(test::deterministicTwin());
    EXPECT_TRUE(bundle.dropoutModules().empty());
    EXPECT_FALSE(bundle.stochasticity().passesDiffer);
    EXPECT_DOUBLE_EQ(bundle.stochasticity().maxAbsDifference, 0.0);
}

TEST(ModelBundle, MissingFileAndRandomBytesAreClearErrors) {
    test::TempDir dir;
    EXPECT_EQ(test::modelLoadError(dir.file("none.pt")),
              dir.file("none.pt") + ": no such model file");
    // Never opened: a pipe would block the load and a device like /dev/zero never ends.
    EXPECT_EQ(test::modelLoadError(dir.path().string()),
              dir.path().string() + ": cannot open model file: it is a folder");
    EXPECT_EQ(test::modelLoadError("/dev/zero"),
              "/dev/zero: cannot open model file: not a regular file");
    std::ofstream(dir.file("noise.pt"), std::ios::binary) << "\x12\x34 definitely not a model";
    EXPECT_NE(test::modelLoadError(dir.file("noise.pt")).find("noise.pt: not a TorchScript model"),
              std::string::npos);
}

}  // namespace
}  // namespace ue
