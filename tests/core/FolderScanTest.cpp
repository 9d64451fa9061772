#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "TestSupport.h"
#include "data/FolderScan.h"

namespace ue {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kClasses = {"T-shirt/top", "Trouser", "Bag"};

TEST(FolderScan, FolderNamesMatchClassesExactlyOrFolderSafe) {
    EXPECT_EQ(classForFolderName("Trouser", kClasses), 1);
    EXPECT_EQ(classForFolderName("T-shirt_top", kClasses), 0);
    EXPECT_EQ(classForFolderName("trouser", kClasses), kNoLabel);
    EXPECT_EQ(classForFolderName("", kClasses), kNoLabel);
}

TEST(FolderScan, RecursiveSortedWithLabelsFromParentFolders) {
    test::TempDir dir;
    test::touch(dir.path() / "Trouser" / "b.png");
    test::touch(dir.path() / "Trouser" / "a.PNG");
    test::touch(dir.path() / "T-shirt_top" / "deep" / "c.jpg");  // parent "deep" is no class
    test::touch(dir.path() / "T-shirt_top" / "d.jpeg");
    test::touch(dir.path() / "Bag" / "notes.txt");
    test::touch(dir.path() / "loose.bmp");

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
    test::touch(dir.path() / "Bag" / "x.data");
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
    test::touch(dir.path() / "Bag" / "a.png");
    fs::create_directory_symlink(dir.path(), dir.path() / "Bag" / "loop");
    const auto scan = scanInputs({dir.path().string()}, kClasses);
    EXPECT_EQ(scan.images.size(), 1u);
}

TEST(FolderScan, SymlinkLoopsEndTheDescentAndAreReported) {
    test::TempDir dir;
    test::touch(dir.path() / "Bag" / "a.png");
    fs::create_directory_symlink("..", dir.path() / "Bag" / "up");    // a cycle: not followed
    fs::create_symlink("self.png", dir.path() / "Bag" / "self.png");  // ELOOP
    fs::create_symlink("gone.png", dir.path() / "Bag" / "dangling.png");
    fs::create_symlink("loop", dir.path() / "loop");

    const auto scan = scanInputs({dir.path().string(), (dir.path() / "loop").string()}, kClasses);
    ASSERT_EQ(scan.images.size(), 1u);
    EXPECT_EQ(scan.images[0].path, (dir.path() / "Bag" / "a.png").string());
    ASSERT_EQ(scan.problems.size(), 3u);
    EXPECT_EQ(scan.problems[0], (dir.path() / "Bag" / "dangling.png").string() +
                                    ": broken symbolic link to gone.png");
    EXPECT_EQ(scan.problems[1],
              (dir.path() / "Bag" / "self.png").string() + ": Too many levels of symbolic links");
    EXPECT_EQ(scan.problems[2],
              (dir.path() / "loop").string() + ": Too many levels of symbolic links");
}

// Never opened (reading a FIFO blocks until a writer comes; /dev/zero never ends), but named, so
// that the user can see why an image they put in the folder has no row.
TEST(FolderScan, PipesAndDevicesNamedLikeImagesAreReportedNotOpened) {
    test::TempDir dir;
    test::touch(dir.path() / "Bag" / "a.png");
    ASSERT_EQ(::mkfifo((dir.path() / "Bag" / "pipe.png").c_str(), 0600), 0);
    fs::create_symlink("/dev/zero", dir.path() / "Bag" / "zero.png");
    fs::create_directory(dir.path() / "Bag" / "folder.png");
    test::touch(dir.path() / "Bag" / "folder.png" / "b.png");

    const auto scan = scanInputs({dir.path().string()}, kClasses);
    ASSERT_EQ(scan.images.size(), 2u);
    EXPECT_EQ(scan.images[0].path, (dir.path() / "Bag" / "a.png").string());
    EXPECT_EQ(scan.images[1].path, (dir.path() / "Bag" / "folder.png" / "b.png").string());
    const std::vector<std::string>& problems = scan.problems;  // sorted, as the images are
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0],
              (dir.path() / "Bag" / "pipe.png").string() + ": a named pipe, not a file; skipped");
    EXPECT_EQ(problems[1],
              (dir.path() / "Bag" / "zero.png").string() + ": a device, not a file; skipped");
}

TEST(FolderScan, GifsAreListedSoTheirFailureIsReported) {
    test::TempDir dir;
    test::touch(dir.path() / "anim.GIF");
    EXPECT_EQ(scanInputs({dir.path().string()}, kClasses).images.size(), 1u);
}

}  // namespace
}  // namespace ue
