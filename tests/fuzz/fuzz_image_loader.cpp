// libFuzzer target: decoding an image file of arbitrary bytes and converting it for a model.
// Either the image decodes and converts to exactly C x H x W finite floats, or ImageError says
// why; nothing else may happen (no crash, no other exception, no sanitizer report).
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <string>

#include "Error.h"
#include "data/ImageHeader.h"
#include "data/ImageLoader.h"

namespace {

// The bytes reach the loader as a file, as they do in a run: one in-memory file, rewritten for
// every input and opened through /proc.
struct MemoryFile {
    int fd = ::memfd_create("fuzz-image", 0);
    std::string path = "/proc/self/fd/" + std::to_string(fd);

    bool hold(const std::uint8_t* data, std::size_t size) const {
        return ::ftruncate(fd, 0) == 0 && ::pwrite(fd, data, size, 0) == ssize_t(size);
    }
};

ue::InputSpec modelInput(int channels) {
    ue::InputSpec spec;
    spec.channels = channels;
    spec.height = 28;
    spec.width = 28;
    spec.mean.assign(std::size_t(channels), 0.5f);
    spec.std.assign(std::size_t(channels), 0.25f);
    return spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const MemoryFile file;
    if (file.fd < 0 || !file.hold(data, size)) {
        std::abort();
    }
    // The header reader alone, as the scan uses it.
    (void)ue::readImageHeader(std::vector<unsigned char>(data, data + size));

    cv::Mat decoded;
    try {
        // A small pixel limit keeps one input's decode within libFuzzer's memory limit; the
        // limit's own check is what is under test for larger declared sizes.
        decoded = ue::decodeImageFile(file.path, std::uint64_t{1} << 22);
    } catch (const ue::ImageError&) {
        return 0;
    }
    for (const int channels : {1, 3}) {
        std::vector<float> chw;
        try {
            chw = ue::preprocessImage(decoded, modelInput(channels), file.path);
        } catch (const ue::ImageError&) {
            continue;
        }
        if (chw.size() != std::size_t(channels) * 28 * 28) {
            std::abort();
        }
        for (const float value : chw) {
            if (!std::isfinite(value)) {
                std::abort();
            }
        }
    }
    return 0;
}
