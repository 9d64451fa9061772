#include "io/DataDir.h"

#include <system_error>

namespace ue {

std::filesystem::path installedDataDir() {
    std::error_code error;
    const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error || executable.empty()) {
        return {};
    }
    return (executable.parent_path() / ".." / "share" / "uncertainty-explorer").lexically_normal();
}

std::filesystem::path bundledDataDir(const std::filesystem::path& sourceDir) {
    const std::filesystem::path installed = installedDataDir();
    std::error_code error;
    if (!installed.empty() && std::filesystem::is_directory(installed, error)) {
        return installed;
    }
    return sourceDir;
}

}  // namespace ue
