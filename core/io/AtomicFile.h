#pragma once
#include <ostream>
#include <string>

#include "io/FdOutputBuffer.h"

namespace ue {

// Writes a file that appears at its target path whole or not at all: the target holds either the
// previous file or the complete new one, never a partial one. The data goes to a file with no
// name (O_TMPFILE) in the target's folder, which the kernel removes by itself if the process is
// cancelled, closed, killed or crashes; commit() names it and renames it over the target. Where
// the filesystem has no unnamed files, a hidden temporary file beside the target stands in.
class AtomicFile {
  public:
    explicit AtomicFile(std::string targetPath);  // throws IoError
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();  // discards what was written unless committed

    std::ostream& stream() { return out_; }
    // Flushes, syncs to disk and renames onto the target. Throws IoError saying why (a full
    // disk, say); then the target is untouched and nothing of the new file is left.
    void commit();

  private:
    void discard();
    [[noreturn]] void fail(const std::string& what, int error);

    std::string target_;
    std::string tempPath_;  // empty while the file has no name
    int fd_ = -1;
    bool done_ = false;
    FdOutputBuffer buffer_;
    std::ostream out_{&buffer_};
};

}  // namespace ue
