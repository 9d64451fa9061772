#include "io/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "Error.h"

namespace ue {
namespace fs = std::filesystem;

namespace {

std::string folderOf(const std::string& target) {
    const auto folder = fs::path(target).parent_path();
    return folder.empty() ? std::string(".") : folder.string();
}

std::string hiddenNameBeside(const std::string& target) {
    std::random_device random;
    const fs::path path(target);
    return (path.parent_path() / ("." + path.filename().string() + ".tmp-" +
                                  std::to_string(::getpid()) + "-" + std::to_string(random())))
        .string();
}

// Naming an O_TMPFILE file goes through /proc (linkat with AT_EMPTY_PATH needs a capability);
// a chroot or container without /proc gets the named temporary file instead.
bool canNameUnnamedFiles() {
    return ::access("/proc/self/fd", X_OK) == 0;
}

int openUnnamed(const std::string& folder) {
#ifdef O_TMPFILE
    if (canNameUnnamedFiles()) {
        return ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    }
#endif
    (void)folder;
    return -1;
}

void syncFolder(const std::string& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

AtomicFile::AtomicFile(std::string targetPath) : target_(std::move(targetPath)) {
    fd_ = openUnnamed(folderOf(target_));
    if (fd_ < 0) {
        // No O_TMPFILE on this filesystem (EOPNOTSUPP), or the folder is not there: a named
        // temporary file says which.
        tempPath_ = hiddenNameBeside(target_);
        fd_ = ::open(tempPath_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd_ < 0) {
            const int error = errno;
            tempPath_.clear();
            throw IoError(target_ +
                          ": cannot create a file in that folder: " + std::strerror(error));
        }
    }
    buffer_.attach(fd_);
}

AtomicFile::~AtomicFile() {
    if (!done_) {
        discard();
    }
}

void AtomicFile::discard() {
    done_ = true;
    if (fd_ >= 0) {
        ::close(fd_);  // an unnamed file is gone with its last descriptor
        fd_ = -1;
    }
    if (!tempPath_.empty()) {
        std::remove(tempPath_.c_str());
    }
}

void AtomicFile::fail(const std::string& what, int error) {
    discard();
    throw IoError(target_ + ": " + what + ": " + std::strerror(error) +
                  "; the previous file is unchanged");
}

void AtomicFile::commit() {
    out_.flush();
    if (!out_) {
        fail("writing failed", buffer_.error() != 0 ? buffer_.error() : EIO);
    }
    // Data on disk before the name: after a power cut the target is old or new, not empty.
    if (::fsync(fd_) != 0) {
        fail("writing failed", errno);
    }
    if (tempPath_.empty()) {
        tempPath_ = hiddenNameBeside(target_);
        const std::string self = "/proc/self/fd/" + std::to_string(fd_);
        if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tempPath_.c_str(), AT_SYMLINK_FOLLOW) != 0) {
            const int error = errno;
            tempPath_.clear();
            fail("cannot name the written file", error);
        }
    }
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) {
        fail("writing failed", errno);  // NFS reports a full disk only here
    }
    if (std::rename(tempPath_.c_str(), target_.c_str()) != 0) {
        fail("cannot replace the file", errno);
    }
    tempPath_.clear();
    done_ = true;
    syncFolder(folderOf(target_));
}

}  // namespace ue
