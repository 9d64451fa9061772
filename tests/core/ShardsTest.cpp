// Sharded runs: per-image random streams, shard assignment, and the CSV read back for merging
// and for the set-level analyses.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "TestSupport.h"
#include "data/FolderScan.h"
#include "data/Shards.h"
#include "engine/McEngine.h"
#include "engine/RandomStreams.h"
#include "io/CsvReader.h"
#include "io/CsvWriter.h"
#include "io/ResultsCsv.h"
#include "io/ResultsTable.h"
#include "model/ModelBundle.h"

namespace ue {
namespace {

std::vector<ImageEntry> demoImages(std::size_t count) {
    const auto bundle = ModelBundle::load(test::demoModel());
    auto images = scanInputs({test::demoSamples()}, bundle.meta().classes).images;
    images.resize(count);
    return images;
}

std::map<std::string, std::vector<float>> rawSamplesByPath(const ModelBundle& bundle,
                                                           const std::vector<ImageEntry>& images,
                                                           RunOptions options) {
    options.keepRawSamples = true;
    std::map<std::string, std::vector<float>> samples;
    McEngine(bundle).run(images, options, [&](ImageResult&& r) {
        ASSERT_TRUE(r.ok) << r.error;
        samples[r.path] = r.rawSamples;
    });
    return samples;
}

TEST(RandomStreams, AnImageDrawsTheSameWhateverElseIsInItsRunOrBatch) {
    const auto bundle = ModelBundle::load(test::demoModel());
    const auto images = demoImages(12);
    RunOptions options;
    options.samples = 7;
    options.seed = 42;
    options.threads = 1;
    options.randomStreams = RandomStreams::PerImage;
    const auto all = rawSamplesByPath(bundle, images, options);

    // Another subset, another order, one image per batch instead of all twelve. (The rows per
    // forward call stay at least T, as they are unless the budget is tiny: an image's passes
    // split over calls draw their masks in another order.)
    const std::vector<ImageEntry> some = {images[9], images[2], images[5]};
    options.memoryBudgetBytes = std::size_t{1} << 18;
    const auto alone = rawSamplesByPath(bundle, some, options);
    for (const auto& image : some) {
        EXPECT_EQ(alone.at(image.path), all.at(image.path)) << image.path;
    }
    // The draws are real: two images' passes differ, and another seed gives other passes.
    EXPECT_NE(all.at(images[0].path), all.at(images[1].path));
    options.seed = 43;
    EXPECT_NE(rawSamplesByPath(bundle, some, options).at(images[2].path), all.at(images[2].path));
}

TEST(RandomStreams, AnImageDrawsTheSameWhereverItsFolderIsMounted) {
    // CI checks the repository out somewhere else than a developer does, and a cluster's nodes
    // may mount the data at other paths: the draws follow the image's name inside its folder.
    const auto bundle = ModelBundle::load(test::demoModel());
    const auto demo = demoImages(4);
    test::TempDir here;
    test::TempDir there;
    std::vector<std::string> roots;
    for (const auto* dir : {&here, &there}) {
        const auto root = dir->path() / (dir == &here ? "a" : "b/c") / "samples";
        for (const auto& image : demo) {
            const auto target = root / std::filesystem::path(image.path).parent_path().filename() /
                                std::filesystem::path(image.path).filename();
            std::filesystem::create_directories(target.parent_path());
            std::filesystem::copy_file(image.path, target);
        }
        roots.push_back(root.string());
    }
    const auto mountedHere = scanInputs({roots[0]}, bundle.meta().classes).images;
    const auto mountedThere = scanInputs({roots[1] + "/"}, bundle.meta().classes).images;
    ASSERT_EQ(mountedHere.size(), demo.size());
    ASSERT_EQ(mountedThere.size(), demo.size());
    RunOptions options;
    options.samples = 5;
    options.threads = 1;
    options.randomStreams = RandomStreams::PerImage;
    const auto first = rawSamplesByPath(bundle, mountedHere, options);
    const auto second = rawSamplesByPath(bundle, mountedThere, options);
    for (std::size_t i = 0; i < demo.size(); ++i) {
        EXPECT_EQ(mountedHere[i].name, mountedThere[i].name);
        EXPECT_EQ(first.at(mountedHere[i].path), second.at(mountedThere[i].path))
            << mountedHere[i].name;
        EXPECT_EQ(shardOf(mountedHere[i].name, 4), shardOf(mountedThere[i].name, 4));
    }
}

TEST(RandomStreams, PerBatchStreamsDependOnTheBatch) {
    // The contrast that makes per-image streams necessary for merging shards.
    const auto bundle = ModelBundle::load(test::demoModel());
    const auto images = demoImages(6);
    RunOptions options;
    options.samples = 7;
    options.threads = 1;
    options.randomStreams = RandomStreams::PerBatch;
    const auto all = rawSamplesByPath(bundle, images, options);
    const auto alone = rawSamplesByPath(bundle, {images[4]}, options);
    EXPECT_NE(alone.at(images[4].path), all.at(images[4].path));
}

TEST(RandomStreams, NamesAndSeedsAreFixed) {
    EXPECT_EQ(randomStreamsFromString("per-image"), RandomStreams::PerImage);
    EXPECT_EQ(toString(RandomStreams::PerBatch), "per-batch");
    EXPECT_THROW(randomStreamsFromString("sometimes"), std::invalid_argument);
    // FNV-1a 64 test vectors (the empty string is the offset basis).
    EXPECT_EQ(imageStreamKey(""), 0xcbf29ce484222325ULL);
    EXPECT_EQ(imageStreamKey("a"), 0xaf63dc4c8601ec8cULL);
    EXPECT_NE(streamSeed(0, 1, 0, 0), streamSeed(0, 1, 1, 0));
    EXPECT_NE(streamSeed(0, 1, 0, 0), streamSeed(0, 1, 0, 1));
    EXPECT_NE(streamSeed(0, 1, 0, 0), streamSeed(1, 1, 0, 0));
}

TEST(Shards, ParsesIOfN) {
    const Shard shard = parseShard("2/4");
    EXPECT_EQ(shard.index, 2);
    EXPECT_EQ(shard.count, 4);
    for (const char* bad : {"4/4", "1/0", "-1/4", "a/4", "1", "1/", "/4", "1/4/2", " 1/4"}) {
        EXPECT_THROW(parseShard(bad), std::invalid_argument) << bad;
    }
}

TEST(Shards, SplitEvenlyAndDependOnlyOnThePath) {
    constexpr int kShards = 4;
    constexpr int kPaths = 20000;
    std::vector<int> counts(kShards, 0);
    for (int i = 0; i < kPaths; ++i) {
        const std::string path =
            "data/class_" + std::to_string(i % 10) + "/" + std::to_string(100000 + i) + ".png";
        const int shard = shardOf(path, kShards);
        ASSERT_GE(shard, 0);
        ASSERT_LT(shard, kShards);
        EXPECT_EQ(shardOf(path, kShards), shard);
        ++counts[shard];
    }
    for (const int count : counts) {
        // Binomial(20000, 1/4): sd 61; 5 sd either side.
        EXPECT_NEAR(count, kPaths / kShards, 310);
    }
    EXPECT_EQ(shardOf("anything.png", 1), 0);
}

TEST(CsvReader, ReadsBackWhatTheWriterWrote) {
    const std::vector<std::string> cells = {
        "plain", "with, comma", "with \"quotes\"", "two\r\nlines", "=HYPERLINK(\"x\")", "", "-3"};
    std::ostringstream out;
    CsvWriter writer(out);
    for (const auto& cell : cells) {
        writer.text(cell);
    }
    writer.number(-0.25).endRow();
    writer.text("second").endRow();
    std::istringstream in(out.str());
    CsvReader reader(in);
    CsvRecord record;
    ASSERT_TRUE(reader.next(record));
    ASSERT_EQ(record.cells.size(), cells.size() + 1);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        EXPECT_EQ(csvTextValue(record.cells[i]), cells[i]) << i;
    }
    EXPECT_EQ(record.cells.back(), "-0.25");
    EXPECT_EQ(record.raw + "second\r\n", out.str());
    ASSERT_TRUE(reader.next(record));
    EXPECT_EQ(record.cells, std::vector<std::string>{"second"});
    EXPECT_FALSE(reader.next(record));

    std::istringstream open("a,\"never closed\r\n");
    CsvReader broken(open);
    EXPECT_THROW(broken.next(record), std::runtime_error);
}

TEST(ResultsTable, RecoversWhatTheSetLevelAnalysesUse) {
    const auto bundle = ModelBundle::load(test::demoModel());
    const auto& classes = bundle.meta().classes;
    auto images = demoImages(5);
    images.push_back({"/no/such/image.png", kNoLabel});
    RunOptions options;
    options.samples = 9;
    options.threads = 1;
    std::vector<ImageResult> results;
    test::TempDir dir;
    const std::string path = dir.file("results.csv");
    {
        std::ofstream out(path, std::ios::binary);
        ResultsCsv csv(out, classes);
        McEngine(bundle).run(images, options, [&](ImageResult&& r) {
            csv.write(r);
            results.push_back(std::move(r));
        });
    }
    const ResultsTable table = readResultsCsv(path);
    EXPECT_EQ(table.classes, classes);
    ASSERT_EQ(table.rows.size(), results.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        const ImageResult& ours = results[i];
        const ImageResult& read = table.rows[i];
        EXPECT_EQ(read.path, ours.path);
        EXPECT_EQ(read.label, ours.label);
        ASSERT_EQ(read.ok, ours.ok);
        if (!ours.ok) {
            EXPECT_EQ(read.error, ours.error);
            continue;
        }
        EXPECT_EQ(read.summary.mean, ours.summary.mean);  // floats survive 9 digits exactly
        EXPECT_EQ(read.summary.samples, ours.summary.samples);
        EXPECT_EQ(read.summary.argmaxPrediction, ours.summary.argmaxPrediction);
        EXPECT_EQ(read.summary.medianRulePrediction, ours.summary.medianRulePrediction);
        EXPECT_NEAR(read.summary.mutualInformation, ours.summary.mutualInformation, 1e-9);
        EXPECT_NEAR(read.summary.predictiveEntropy, ours.summary.predictiveEntropy, 1e-9);
        EXPECT_NEAR(read.summary.variationRatio, ours.summary.variationRatio, 1e-9);
        EXPECT_NEAR(read.summary.margin, ours.summary.margin, 1e-9);
    }
}

TEST(ResultsTable, SaysWhatIsWrongWithAFileThatIsNotOne) {
    test::TempDir dir;
    const std::string path = dir.file("other.csv");
    std::ofstream(path) << "a,b\r\n1,2\r\n";
    try {
        readResultsCsv(path);
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(path + ": not a results CSV"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace ue
