#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "TestSupport.h"
#include "data/FolderScan.h"

namespace ue {
namespace {

namespace fs = std::filesystem;

void touch(const fs::path& path) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "x";
}

const std::vector<std::string> kClasses = {"T-shirt/top", "Trouser", "Bag"};

TEST(FolderScan, FolderNamesMatchClassesExactlyOrFolderSafe) {
    EXPECT_EQ(classForFolderName("Trouser", kClasses), 1);
    EXPECT_EQ(classForFolderName("T-shirt_top", kClasses), 0);
    EXPECT_EQ(classForFolderName("trouser", kClasses), kNoLabel);
    EXPECT_EQ(classForFolderName("", kClasses), kNoLabel);
}

TEST(FolderScan, RecursiveSortedWithLabelsFromParentFolders) {
    test::TempDir dir;
    touch(dir.path() / "Trouser" / "b.png");
    touch(dir.path() / "Trouser" / "a.PNG");
    touch(dir.path() / "T-shirt_top" / "deep" / "c.jpg");  // parent "deep" is no class
    touch(dir.path() / "T-shirt_top" / "d.jpeg");
    touch(dir.path() / "Bag" / "notes.txt");
    touch(dir.path() / "loose.bmp");

    const auto scan = scanInputs({dir.path().string()}, kClasses);
    EXPECT_TRUE(scan.problems.empty());
    ASSERT_EQ(scan.images.size(), 5u);
    const auto name = [&](std::size_t i) {
        return fs::relative(scan.images[i].path, dir.path()).string();
    };
    EXPECT_EQ(name(0), "T-shirt_top/d.jpeg");
    EXPECT_EQ(scan.images[0].label, 0);
    EXPECT_EQ(name(1), "T-shirt_top/deep/c.jpg");
    EXPECT_EQ(scan.images[1].label, kNoLabel);
    EXPECT_EQ(name(2), "Trouser/a.PNG");
    EXPECT_EQ(scan.images[2].label, 1);
    EXPECT_EQ(name(3), "Trouser/b.png");
    EXPECT_EQ(name(4), "loose.bmp");
    EXPECT_EQ(scan.images[4].label, kNoLabel);
    EXPECT_EQ(scan.labelledCount, 3u);
    // Names start at the folder that was given, wherever it lies.
    const std::string folder = dir.path().filename().string();
    EXPECT_EQ(scan.images[1].name, folder + "/T-shirt_top/deep/c.jpg");
    EXPECT_EQ(scan.images[4].name, folder + "/loose.bmp");
    for (const auto& spelling : {dir.path() / "", dir.path() / "T-shirt_top" / ".."}) {
        const auto again = scanInputs({spelling.string()}, kClasses);
        ASSERT_EQ(again.images.size(), 5u) << spelling;
        EXPECT_EQ(again.images[1].name, scan.images[1].name) << spelling;
    }
}

TEST(FolderScan, FilesNamedDirectlyAndMissingInputs) {
    test::TempDir dir;
    touch(dir.path() / "Bag" / "x.data");
    const auto scan = scanInputs(
        {(dir.path() / "Bag" / "x.data").string(), (dir.path() / "nope").string()}, kClasses);
    ASSERT_EQ(scan.images.size(), 1u);  // an explicit file is taken whatever its extension
    EXPECT_EQ(scan.images[0].label, 2);
    EXPECT_EQ(scan.images[0].name, "x.data");
    EXPECT_EQ(imageName({"/any/where/y.png", kNoLabel}), "y.png");
    ASSERT_EQ(scan.problems.size(), 1u);
    EXPECT_NE(scan.problems[0].find("no such file or folder"), std::string::npos);
}

TEST(FolderScan, SymlinkLoopsDoNotHang) {
    test::TempDir dir;
    touch(dir.path() / "Bag" / "a.png");
    fs::create_directory_symlink(dir.path(), dir.path() / "Bag" / "loop");
    const auto scan = scanInputs({dir.path().string()}, kClasses);
    EXPECT_EQ(scan.images.size(), 1u);
}

TEST(FolderScan, SymlinkLoopsEndTheDescentAndAreReported) {
    test::TempDir dir;
    touch(dir.path() / "Bag" / "a.png");
    fs::create_directory_symlink("..", dir.path() / "Bag" / "up");    // a cycle: not followed
    fs::create_symlink("self.png", dir.path() / "Bag" / "self.png");  // ELOOP
    fs::create_symlink("gone.png", dir.path() / "Bag" / "dangling.png");
    fs::create_symlink("loop", dir.path() / "loop");

    const auto scan = scanInputs({dir.path().string(), (dir.path() / "loop").string()}, kClasses);
    ASSERT_EQ(scan.images.size(), 1u);
    EXPECT_EQ(scan.images[0].path, (dir.path() / "Bag" / "a.png").string());
    ASSERT_EQ(scan.problems.size(), 2u);
    EXPECT_EQ(scan.problems[0],
              (dir.path() / "Bag" / "self.png").string() + ": Too many levels of symbolic links");
    EXPECT_EQ(scan.problems[1],
              (dir.path() / "loop").string() + ": Too many levels of symbolic links");
}

TEST(FolderScan, GifsAreListedSoTheirFailureIsReported) {
    test::TempDir dir;
    touch(dir.path() / "anim.GIF");
    EXPECT_EQ(scanInputs({dir.path().string()}, kClasses).images.size(), 1u);
}

}  // namespace
}  // namespace ue
