#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "Error.h"
#include "TestSupport.h"
#include "io/SmallTextFile.h"

namespace ue {
namespace {

std::string errorOf(const std::string& path, std::size_t maxBytes = 100) {
    try {
        readSmallTextFile(path, maxBytes, "thing file");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(SmallTextFile, ReadsARegularFileWithinItsLimit) {
    test::TempDir dir;
    std::ofstream(dir.file("a.json"), std::ios::binary) << "{\"x\": 1}\n";
    EXPECT_EQ(readSmallTextFile(dir.file("a.json"), 9, "thing file"), "{\"x\": 1}\n");
    std::ofstream(dir.file("empty.json"), std::ios::binary);
    EXPECT_EQ(readSmallTextFile(dir.file("empty.json"), 9, "thing file"), "");
}

TEST(SmallTextFile, RefusesWhatIsNotASmallRegularFile) {
    test::TempDir dir;
    EXPECT_EQ(errorOf(dir.file("none.json")),
              dir.file("none.json") + ": cannot open thing file: no such file");
    EXPECT_EQ(errorOf(dir.path().string()),
              dir.path().string() + ": cannot open thing file: it is a folder");
    // Never opened: reading a pipe would block, /dev/zero would never end.
    ASSERT_EQ(::mkfifo(dir.file("pipe.json").c_str(), 0600), 0);
    EXPECT_EQ(errorOf(dir.file("pipe.json")),
              dir.file("pipe.json") + ": cannot open thing file: not a regular file");
    EXPECT_EQ(errorOf("/dev/zero"), "/dev/zero: cannot open thing file: not a regular file");
    std::ofstream(dir.file("big.json"), std::ios::binary) << std::string(101, ' ');
    EXPECT_EQ(errorOf(dir.file("big.json")),
              dir.file("big.json") + ": thing file is 101 bytes, more than the limit of 100");
}

TEST(SmallTextFile, SaysWhichProblemStandsInTheWay) {
    using Problem = RegularFileCheck::Problem;
    test::TempDir dir;
    std::ofstream(dir.file("a.json"), std::ios::binary) << "{}";
    EXPECT_EQ(checkRegularFile(dir.file("a.json")).problem, Problem::None);
    EXPECT_EQ(checkRegularFile(dir.file("a.json")).why, "");
    EXPECT_EQ(checkRegularFile(dir.file("none.json")).problem, Problem::Missing);
    EXPECT_EQ(checkRegularFile(dir.path().string()).problem, Problem::Folder);
    EXPECT_EQ(checkRegularFile("/dev/null").problem, Problem::Other);
    EXPECT_EQ(checkRegularFile("/dev/null").why, "not a regular file");
}

}  // namespace
}  // namespace ue
