#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "Error.h"
#include "FileSizeLimit.h"
#include "TestSupport.h"
#include "io/AtomicFile.h"

namespace ue {
namespace {

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::size_t entriesIn(const std::filesystem::path& folder) {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder),
                                                  std::filesystem::directory_iterator()));
}

TEST(AtomicFile, CommitReplacesTheTarget) {
    test::TempDir dir;
    const auto target = dir.file("out.csv");
    std::ofstream(target) << "old";
    {
        AtomicFile file(target);
        file.stream() << "new contents";
        EXPECT_EQ(readAll(target), "old");     // nothing visible before commit
        EXPECT_EQ(entriesIn(dir.path()), 1u);  // not even a temporary name to clean up after a kill
        file.commit();
    }
    EXPECT_EQ(readAll(target), "new contents");
    EXPECT_EQ(entriesIn(dir.path()), 1u);
}

TEST(AtomicFile, AbandonedWriteLeavesThePreviousFileAndNoTemporary) {
    test::TempDir dir;
    const auto target = dir.file("out.csv");
    std::ofstream(target) << "old";
    {
        AtomicFile file(target);
        file.stream() << "half of something";
    }
    EXPECT_EQ(readAll(target), "old");
    EXPECT_EQ(entriesIn(dir.path()), 1u);
}

TEST(AtomicFile, UnwritableFolderIsAClearError) {
    try {
        AtomicFile file("/nonexistent-folder-ue/out.csv");
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent-folder-ue/out.csv"), std::string::npos);
    }
}

TEST(AtomicFile, FullDiskKeepsThePreviousFile) {
    // A failed write() (ENOSPC) leaves the stream's badbit set; commit must then refuse.
    test::TempDir dir;
    const auto target = dir.file("out.csv");
    std::ofstream(target) << "old";
    AtomicFile file(target);
    file.stream() << "data";
    file.stream().setstate(std::ios::badbit);
    EXPECT_THROW(file.commit(), IoError);
    EXPECT_EQ(readAll(target), "old");
    EXPECT_EQ(entriesIn(dir.path()), 1u);
}

TEST(AtomicFile, WriteFailingPartWayKeepsThePreviousFileAndSaysWhy) {
    test::TempDir dir;
    const auto target = dir.file("out.csv");
    std::ofstream(target) << "old";
    std::string message;
    {
        const test::FileSizeLimit limit(100000);
        AtomicFile file(target);
        for (int row = 0; row < 100000; ++row) {
            file.stream() << "row " << row << ",0.25,0.75\n";
        }
        try {
            file.commit();
        } catch (const IoError& e) {
            message = e.what();
        }
    }
    EXPECT_NE(message.find(target), std::string::npos) << message;
    EXPECT_NE(message.find("File too large"), std::string::npos) << message;
    EXPECT_NE(message.find("the previous file is unchanged"), std::string::npos) << message;
    EXPECT_EQ(readAll(target), "old");
    EXPECT_EQ(entriesIn(dir.path()), 1u);
}

TEST(AtomicFile, WritesLargerThanItsBufferArriveWhole) {
    test::TempDir dir;
    const auto target = dir.file("big.csv");
    std::string expected;
    {
        AtomicFile file(target);
        for (int row = 0; row < 50000; ++row) {
            const std::string line = std::to_string(row) + ",x\n";
            file.stream() << line;
            expected += line;
        }
        file.stream() << std::string(200000, 'y');
        expected += std::string(200000, 'y');
        file.commit();
    }
    EXPECT_EQ(readAll(target), expected);
    EXPECT_EQ(std::filesystem::status(target).permissions() & std::filesystem::perms::owner_read,
              std::filesystem::perms::owner_read);
}

}  // namespace
}  // namespace ue
