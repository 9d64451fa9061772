#include "data/FolderScan.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>

namespace ue {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string folderSafe(std::string name) {
    for (char& c : name) {
        if (c == '/' || c == '\\' || c == ':') {
            c = '_';
        }
    }
    return name;
}

ImageEntry entryFor(const fs::path& file, std::string name,
                    const std::vector<std::string>& classes) {
    return {file.string(), classForFolderName(file.parent_path().filename().string(), classes),
            std::move(name)};
}

// "data/samples/", "./samples" and "/mnt/x/samples" all name the folder "samples".
std::string folderName(const fs::path& folder) {
    std::error_code ec;
    fs::path resolved = fs::absolute(folder, ec).lexically_normal();
    if (ec) {
        resolved = folder.lexically_normal();
    }
    if (!resolved.has_filename()) {
        resolved = resolved.parent_path();
    }
    return resolved.filename().generic_string();
}

// Why a listed entry with an image's name is not analysed, or "" when there is nothing to say.
// A name the user will look for in the results gets a reason: a symlink loop, a link to a file
// that is gone, a named pipe or device (never opened: reading a FIFO would block the run and
// /dev/zero never ends). A folder named like an image is descended into, and a file removed
// while the folder was listed is simply no longer there.
std::string whyNotAnImageFile(const fs::directory_entry& entry, const fs::file_status& status,
                              const std::error_code& statusError) {
    if (statusError && statusError != std::errc::no_such_file_or_directory) {
        return statusError.message();
    }
    switch (status.type()) {
        case fs::file_type::not_found: {
            std::error_code ec;
            if (entry.is_symlink(ec)) {
                return "broken symbolic link to " + fs::read_symlink(entry.path(), ec).string();
            }
            return "";
        }
        case fs::file_type::fifo:
            return "a named pipe, not a file; skipped";
        case fs::file_type::socket:
            return "a socket, not a file; skipped";
        case fs::file_type::character:
        case fs::file_type::block:
            return "a device, not a file; skipped";
        default:
            return "";
    }
}

// Why a folder met while listing cannot be listed itself, or "" when it can (or is no folder, or
// a link to one, which the listing does not follow).
std::string whyFolderIsNotListed(const fs::directory_entry& entry) {
    std::error_code ec;
    if (entry.is_symlink(ec) || !entry.is_directory(ec)) {
        return "";
    }
    if (::access(entry.path().c_str(), R_OK | X_OK) == 0) {
        return "";
    }
    return "folder cannot be listed (" + std::generic_category().message(errno) +
           "); its images are not analysed";
}

}  // namespace

std::string imageName(const ImageEntry& entry) {
    return entry.name.empty() ? fs::path(entry.path).filename().generic_string() : entry.name;
}

bool hasImageExtension(const std::string& path) {
    // GIF is listed though OpenCV 4.6 cannot decode it: a folder's GIFs are then reported as
    // failed, with the reason, instead of being passed over in silence.
    static const std::array<const char*, 17> kExtensions = {
        ".png", ".jpg", ".jpeg", ".jpe", ".bmp", ".dib", ".tif", ".tiff", ".webp",
        ".pgm", ".ppm", ".pbm",  ".pnm", ".pxm", ".sr",  ".ras", ".gif"};
    const std::string ext = lower(fs::path(path).extension().string());
    return std::any_of(kExtensions.begin(), kExtensions.end(),
                       [&](const char* known) { return ext == known; });
}

int classForFolderName(const std::string& folder, const std::vector<std::string>& classes) {
    if (folder.empty()) {
        return kNoLabel;
    }
    for (std::size_t i = 0; i < classes.size(); ++i) {
        if (folder == classes[i] || folder == folderSafe(classes[i])) {
            return static_cast<int>(i);
        }
    }
    return kNoLabel;
}

ScanResult scanInputs(const std::vector<std::string>& inputs,
                      const std::vector<std::string>& classes) {
    ScanResult result;
    for (const auto& input : inputs) {
        std::error_code ec;
        const fs::path root(input);
        const auto status = fs::status(root, ec);
        if (status.type() == fs::file_type::not_found) {
            result.problems.push_back(input + ": no such file or folder");
            continue;
        }
        if (ec) {
            // A symlink loop (ELOOP), a folder on the way that cannot be searched, ...
            result.problems.push_back(input + ": " + ec.message());
            continue;
        }
        if (fs::is_regular_file(status)) {
            // A file named explicitly is taken whatever its extension; decoding decides.
            result.images.push_back(entryFor(root, root.filename().generic_string(), classes));
            continue;
        }
        if (!fs::is_directory(status)) {
            result.problems.push_back(input + ": not a file or folder");
            continue;
        }
        std::vector<ImageEntry> found;
        std::vector<std::string> unreadable;  // sorted below, as the images are
        const fs::path named(folderName(root));
        fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied,
                                            ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            // skip_permission_denied alone would pass over a folder we may not list in
            // silence, and every image in it with it.
            if (const std::string why = whyFolderIsNotListed(*it); !why.empty()) {
                unreadable.push_back(it->path().string() + ": " + why);
                it.disable_recursion_pending();
                continue;
            }
            if (!hasImageExtension(it->path().string())) {
                continue;
            }
            std::error_code fileEc;
            const fs::file_status status = it->status(fileEc);  // follows a link, once
            if (fs::is_regular_file(status)) {
                const fs::path inside = it->path().lexically_relative(root);
                found.push_back(entryFor(it->path(), (named / inside).generic_string(), classes));
            } else if (const std::string why = whyNotAnImageFile(*it, status, fileEc);
                       !why.empty()) {
                unreadable.push_back(it->path().string() + ": " + why);
            }
        }
        std::sort(unreadable.begin(), unreadable.end());
        result.problems.insert(result.problems.end(), unreadable.begin(), unreadable.end());
        if (ec) {
            result.problems.push_back(input + ": listing stopped early: " + ec.message());
        }
        std::sort(found.begin(), found.end(),
                  [](const ImageEntry& a, const ImageEntry& b) { return a.path < b.path; });
        result.images.insert(result.images.end(), found.begin(), found.end());
    }
    result.labelledCount = static_cast<std::size_t>(
        std::count_if(result.images.begin(), result.images.end(),
                      [](const ImageEntry& e) { return e.label != kNoLabel; }));
    return result;
}

}  // namespace ue
