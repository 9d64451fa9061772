#pragma once
#include <fstream>
#include <string>

namespace ue {

// Writes to a temporary file beside the target and renames it over the target on commit(), so
// the target path holds either the previous file or the complete new one, never a partial one
// (a crash, a cancel, or a full disk leave the old file as it was).
class AtomicFile {
  public:
    explicit AtomicFile(std::string targetPath);  // throws IoError
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();  // removes the temporary file unless committed

    std::ostream& stream() { return out_; }
    const std::string& temporaryPath() const { return tempPath_; }
    // Flushes, syncs to disk and renames onto the target. Throws IoError; then the target is
    // untouched and the temporary file removed.
    void commit();

  private:
    std::string target_;
    std::string tempPath_;
    std::ofstream out_;
    bool committed_ = false;
};

}  // namespace ue
