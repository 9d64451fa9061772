#pragma once
// Which images two sets share, by file rather than by spelling: split conformal prediction's
// coverage holds only for test images the calibration never saw, and a user who gives the same
// folder as DIR and ./DIR/, or through a symlinked folder, must still be told they overlap.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace ue {

class ImagePathSet {
  public:
    void add(const std::string& path);
    // Whether `path` names a file added before. Non-const: it remembers the folders it has
    // resolved, so a set of many images costs about one stat per image, not one per component.
    bool contains(const std::string& path);
    std::size_t size() const { return keys_.size(); }
    bool empty() const { return keys_.empty(); }
    void clear();

    // What identifies the file `path` names: its canonical path when it exists, symlinks
    // resolved; otherwise (results files can name images that are gone, or were written on
    // another machine) the path as written, lexically normalised.
    std::string key(const std::string& path);

  private:
    std::unordered_set<std::string> keys_;
    std::unordered_map<std::string, std::string> folders_;  // as written -> canonical ("": gone)
};

// What the CLI and the window say when `shared` of a study's `testImages` were among its
// calibration images: "3 of the 300 test images are also validation images: their coverage is
// optimistic ...", `optimistic` naming the numbers that are.
std::string calibrationOverlapWarning(std::size_t shared, std::size_t testImages,
                                      const std::string& optimistic = "coverage");

}  // namespace ue
