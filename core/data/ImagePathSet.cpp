#include "data/ImagePathSet.h"

#include <filesystem>
#include <system_error>

namespace ue {

namespace fs = std::filesystem;

void ImagePathSet::add(const std::string& path) {
    keys_.insert(key(path));
}

bool ImagePathSet::contains(const std::string& path) {
    return !keys_.empty() && keys_.count(key(path)) > 0;
}

void ImagePathSet::clear() {
    keys_.clear();
    folders_.clear();
}

std::string ImagePathSet::key(const std::string& path) {
    const fs::path file(path);
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(file, ec);
    if (!ec && fs::exists(status)) {
        if (fs::is_symlink(status)) {
            // A link to an image is that image: resolve the file itself, not only its folder.
            const fs::path target = fs::canonical(file, ec);
            if (!ec) {
                return target.string();
            }
        } else {
            // The images of a run share few folders: resolving each folder once keeps this to
            // one stat per image, where canonical() would walk every component of every path.
            const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
            auto [it, inserted] = folders_.try_emplace(folder.string());
            if (inserted) {
                const fs::path resolved = fs::canonical(folder, ec);
                it->second = ec ? std::string() : resolved.string();
            }
            if (!it->second.empty()) {
                return (fs::path(it->second) / file.filename()).string();
            }
        }
    }
    return file.lexically_normal().string();
}

std::string calibrationOverlapWarning(std::size_t shared, std::size_t testImages,
                                      const std::string& optimistic) {
    const bool one = shared == 1;
    return std::to_string(shared) + " of the " + std::to_string(testImages) + " test images " +
           (one ? "is also a validation image: its " : "are also validation images: their ") +
           optimistic + " is optimistic (calibrate and test on disjoint images)";
}

}  // namespace ue
