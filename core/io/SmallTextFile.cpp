#include "io/SmallTextFile.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "Error.h"

namespace ue {
namespace fs = std::filesystem;

RegularFileCheck checkRegularFile(const std::string& path) {
    using Problem = RegularFileCheck::Problem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    switch (status.type()) {
        case fs::file_type::regular:
            return {};
        case fs::file_type::not_found:
            return {Problem::Missing, "no such file"};
        case fs::file_type::directory:
            return {Problem::Folder, "it is a folder"};
        default:
            return {Problem::Other, ec ? ec.message() : std::string("not a regular file")};
    }
}

std::string whyNotARegularFile(const std::string& path) {
    return checkRegularFile(path).why;
}

void requireRegularFile(const std::string& path, const std::string& what) {
    if (const std::string why = whyNotARegularFile(path); !why.empty()) {
        throw Error(path + ": cannot open " + what + ": " + why);
    }
}

std::string readSmallTextFile(const std::string& path, std::size_t maxBytes,
                              const std::string& what) {
    requireRegularFile(path, what);
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) {
        throw Error(path + ": cannot open " + what + ": " + ec.message());
    }
    if (size > maxBytes) {
        throw Error(path + ": " + what + " is " + std::to_string(size) +
                    " bytes, more than the limit of " + std::to_string(maxBytes));
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
        throw Error(path + ": cannot read " + what);
    }
    return text.str();
}

}  // namespace ue
