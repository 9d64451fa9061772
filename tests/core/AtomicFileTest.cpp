#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "Error.h"
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
        EXPECT_EQ(readAll(target), "old");  // nothing visible before commit
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

}  // namespace
}  // namespace ue
