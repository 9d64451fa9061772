#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "TestSupport.h"
#include "data/ImagePathSet.h"

namespace ue {
namespace {

namespace fs = std::filesystem;

// Changes the working directory for the life of the object, so that relative spellings name
// files in a test's own folder.
class WorkingDirectory {
  public:
    explicit WorkingDirectory(const fs::path& path) : previous_(fs::current_path()) {
        fs::current_path(path);
    }
    ~WorkingDirectory() { fs::current_path(previous_); }

  private:
    fs::path previous_;
};

TEST(ImagePathSet, OneFileSpeltManyWaysIsOneImage) {
    test::TempDir dir;
    test::touch(dir.path() / "val" / "Bag" / "a.png");
    test::touch(dir.path() / "val" / "Bag" / "b.png");
    fs::create_directory_symlink(dir.path() / "val", dir.path() / "linked");
    fs::create_symlink(dir.path() / "val" / "Bag" / "b.png", dir.path() / "b-link.png");

    ImagePathSet set;
    set.add((dir.path() / "val" / "Bag" / "a.png").string());
    set.add((dir.path() / "val" / "Bag" / "b.png").string());
    EXPECT_EQ(set.size(), 2u);
    const std::string root = dir.path().string();
    EXPECT_TRUE(set.contains(root + "/val/Bag/a.png"));
    EXPECT_TRUE(set.contains(root + "/./val//Bag/a.png"));      // DIR and ./DIR/
    EXPECT_TRUE(set.contains(root + "/val/Bag/../Bag/a.png"));  // through a parent
    EXPECT_TRUE(set.contains(root + "/linked/Bag/a.png"));      // a symlinked folder
    EXPECT_TRUE(set.contains(root + "/b-link.png"));            // a link to the file
    {
        WorkingDirectory in(dir.path() / "val");
        EXPECT_TRUE(set.contains("Bag/a.png"));
        EXPECT_TRUE(set.contains("./Bag/b.png"));
    }
    // The same name elsewhere, and a file next to them that was never added, are other images.
    test::touch(dir.path() / "test" / "Bag" / "a.png");
    test::touch(dir.path() / "val" / "Bag" / "c.png");
    EXPECT_FALSE(set.contains(root + "/test/Bag/a.png"));
    EXPECT_FALSE(set.contains(root + "/val/Bag/c.png"));
    EXPECT_FALSE(set.contains(root + "/linked/Bag/c.png"));
    // Adding a spelling of a file already there adds nothing.
    set.add(root + "/linked/Bag/a.png");
    EXPECT_EQ(set.size(), 2u);
}

TEST(ImagePathSet, FilesThatAreGoneCompareAsWritten) {
    // Results files name images that may no longer exist (or exist on another machine): their
    // paths still match when written alike, up to redundant separators and dots.
    ImagePathSet set;
    set.add("/nowhere/ue-gone/Bag/a.png");
    EXPECT_TRUE(set.contains("/nowhere/ue-gone/Bag/a.png"));
    EXPECT_TRUE(set.contains("/nowhere/./ue-gone//Bag/a.png"));
    EXPECT_FALSE(set.contains("/nowhere/ue-gone/Bag/b.png"));
    EXPECT_FALSE(set.contains("nowhere/ue-gone/Bag/a.png"));

    // One of them existing and the other gone: compared by text, so no false match.
    test::TempDir dir;
    test::touch(dir.path() / "Bag" / "a.png");
    set.add((dir.path() / "Bag" / "a.png").string());
    EXPECT_TRUE(set.contains((dir.path() / "Bag" / "a.png").string()));
    EXPECT_FALSE(set.contains((dir.path() / "Bag" / "gone.png").string()));
}

TEST(ImagePathSet, EmptyAndClearedSetsHoldNothing) {
    test::TempDir dir;
    test::touch(dir.path() / "a.png");
    ImagePathSet set;
    EXPECT_TRUE(set.empty());
    EXPECT_FALSE(set.contains((dir.path() / "a.png").string()));
    set.add((dir.path() / "a.png").string());
    EXPECT_TRUE(set.contains((dir.path() / "a.png").string()));
    set.clear();
    EXPECT_TRUE(set.empty());
    EXPECT_FALSE(set.contains((dir.path() / "a.png").string()));
}

TEST(ImagePathSet, OverlapWarningCountsInGoodEnglish) {
    EXPECT_EQ(calibrationOverlapWarning(120, 300),
              "120 of the 300 test images are also validation images: their coverage is "
              "optimistic (calibrate and test on disjoint images)");
    EXPECT_EQ(calibrationOverlapWarning(1, 30),
              "1 of the 30 test images is also a validation image: its coverage is optimistic "
              "(calibrate and test on disjoint images)");
}

}  // namespace
}  // namespace ue
