#pragma once
// The JSON files users hand the tool (thresholds, augmentation policies, method lists, shard
// manifests) are read whole. A path that is a pipe would block the read, /dev/zero would fill
// memory, and a file of gigabytes is not one of ours: each is refused with what it is.
#include <cstddef>
#include <string>

#include "Error.h"

namespace ue {

// The text of the regular file at `path`, at most `maxBytes` long. Throws ue::Error naming the
// path and `what` (e.g. "thresholds file") when it is missing, not a regular file, too large or
// unreadable.
std::string readSmallTextFile(const std::string& path, std::size_t maxBytes,
                              const std::string& what);

// The same, for callers whose failures have their own type (a model's meta throws ModelError,
// a methods file std::invalid_argument): the message is unchanged.
template <class Failure>
std::string readSmallTextFileOr(const std::string& path, std::size_t maxBytes,
                                const std::string& what) {
    try {
        return readSmallTextFile(path, maxBytes, what);
    } catch (const Error& e) {
        throw Failure(e.what());
    }
}

// What stands in the way of reading `path` as a regular file, for callers that answer a missing
// file differently from a folder or a pipe.
struct RegularFileCheck {
    enum class Problem { None, Missing, Folder, Other };
    Problem problem = Problem::None;
    // "no such file", "it is a folder", "not a regular file" for a pipe or device, or the
    // system's reason; "" when `problem` is None.
    std::string why;
};
RegularFileCheck checkRegularFile(const std::string& path);

// checkRegularFile(path).why: "" when `path` is a regular file.
std::string whyNotARegularFile(const std::string& path);

// Throws ue::Error unless `path` is a regular file (for files read as streams, whatever their
// size: a results CSV).
void requireRegularFile(const std::string& path, const std::string& what);

}  // namespace ue
