#include "io/AtomicFile.h"

#include <fcntl.h>
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

void syncPath(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

AtomicFile::AtomicFile(std::string targetPath) : target_(std::move(targetPath)) {
    std::random_device random;
    const fs::path target(target_);
    tempPath_ =
        (target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                                 std::to_string(::getpid()) + "-" + std::to_string(random())))
            .string();
    out_.open(tempPath_, std::ios::binary | std::ios::trunc);
    if (!out_) {
        throw IoError(target_ + ": cannot create a file in that folder: " + std::strerror(errno));
    }
}

AtomicFile::~AtomicFile() {
    if (!committed_) {
        out_.close();
        std::remove(tempPath_.c_str());
    }
}

void AtomicFile::commit() {
    out_.flush();
    const bool written = static_cast<bool>(out_);
    out_.close();
    if (!written || out_.fail()) {
        std::remove(tempPath_.c_str());
        committed_ = true;
        throw IoError(target_ + ": writing failed (disk full?); the previous file is unchanged");
    }
    syncPath(tempPath_, O_RDONLY);
    if (std::rename(tempPath_.c_str(), target_.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        std::remove(tempPath_.c_str());
        committed_ = true;
        throw IoError(target_ + ": cannot replace the file: " + reason);
    }
    committed_ = true;
    const auto folder = fs::path(target_).parent_path();
    syncPath(folder.empty() ? "." : folder.string(), O_RDONLY | O_DIRECTORY);
}

}  // namespace ue
