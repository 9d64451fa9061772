#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>

#include "Error.h"
#include "TestSupport.h"
#include "engine/Device.h"
#include "engine/McEngine.h"
#include "engine/ParallelFor.h"
#include "model/ModelBundle.h"

namespace ue {
namespace {

TEST(DeviceTest, PrecisionNamesRoundTrip) {
    for (auto precision : {Precision::Float32, Precision::BFloat16, Precision::Float16}) {
        EXPECT_EQ(precisionFromString(toString(precision)), precision);
    }
    EXPECT_THROW(precisionFromString("half"), std::invalid_argument);
}

TEST(DeviceTest, CpuAndAutoResolve) {
    EXPECT_EQ(resolveDevice("cpu"), "cpu");
    EXPECT_EQ(resolveDevice("auto"), cudaDeviceCount() > 0 ? "cuda:0" : "cpu");
    EXPECT_EQ(availableDevices().front(), "cpu");
    EXPECT_EQ(availableDevices().size(), std::size_t(1 + cudaDeviceCount()));
    EXPECT_FALSE(isCudaDevice("cpu"));
    EXPECT_TRUE(isCudaDevice("cuda:1"));
    EXPECT_EQ(freeDeviceMemory("cpu"), 0u);
}

TEST(DeviceTest, MalformedNamesAreNotDevices) {
    for (const char* name : {"gpu", "cuda:", "cuda:x", "cudax", "cuda:-1", "CPU", ""}) {
        EXPECT_THROW(resolveDevice(name), std::invalid_argument) << name;
    }
}

TEST(DeviceTest, MissingGpuIsExplained) {
    if (cudaDeviceCount() > 0) {
        GTEST_SKIP() << "this machine has a GPU";
    }
    try {
        resolveDevice("cuda");
        FAIL() << "cuda resolved without a GPU";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(cudaBuiltIn() ? "no usable GPU" : "no CUDA support"),
                  std::string::npos)
            << message;
    }
}

TEST(DeviceTest, CpuRunsReportTheirDeviceAndRefuse16Bit) {
    const auto bundle = ModelBundle::load(test::demoModel());
    const auto& in = bundle.meta().input;
    const std::vector<float> inputs(std::size_t(2) * in.channels * in.height * in.width, 0.1f);
    RunOptions options;
    options.device = "cpu";
    options.samples = 3;
    int delivered = 0;
    const auto report =
        McEngine(bundle).runPreprocessed(inputs, options, [&](ImageResult&&) { ++delivered; });
    EXPECT_EQ(report.device, "cpu");
    EXPECT_EQ(delivered, 2);
    options.precision = Precision::BFloat16;
    EXPECT_THROW(McEngine(bundle).runPreprocessed(inputs, options, [](ImageResult&&) {}), Error);
}

TEST(ParallelForTest, CoversEveryIndexOnce) {
    for (std::size_t count : {0u, 1u, 7u, 100u, 1001u}) {
        for (int threads : {1, 2, 3, 16}) {
            std::vector<int> hits(count, 0);
            parallelFor(count, threads, 4, [&](std::size_t first, std::size_t last) {
                for (std::size_t i = first; i < last; ++i) {
                    ++hits[i];
                }
            });
            EXPECT_EQ(std::accumulate(hits.begin(), hits.end(), 0), int(count));
            EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
        }
    }
}

}  // namespace
}  // namespace ue
