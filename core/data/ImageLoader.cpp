#include "data/ImageLoader.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <opencv2/core/version.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "Error.h"
#include "data/ImageHeader.h"

namespace ue {
namespace {

std::atomic<std::uint64_t> gMaxImagePixels{kDefaultMaxImagePixels};

constexpr const char* kNotReadable =
    "not a readable image (corrupt, truncated, or not PNG, JPEG, BMP, TIFF, WebP, PNM or Sun "
    "raster)";

void checkPixelCount(const std::string& path, const std::string& what, std::uint64_t width,
                     std::uint64_t height, std::uint64_t maxPixels) {
    // Sides up to 2^32 each: the product cannot overflow 64 bits, larger sides fail anyway.
    const bool tooLarge = width > (std::uint64_t{1} << 32) || height > (std::uint64_t{1} << 32) ||
                          width * height > maxPixels;
    if (tooLarge) {
        throw ImageError(path + ": " + what + " " + std::to_string(width) + " x " +
                         std::to_string(height) + " pixels, more than the limit of " +
                         std::to_string(maxPixels) + " pixels");
    }
}

bool looksLikeDicom(const std::vector<uchar>& bytes) {
    return bytes.size() >= 132 && std::memcmp(bytes.data() + 128, "DICM", 4) == 0;
}

std::vector<uchar> readFileBytes(const std::string& path) {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        // The stream keeps no reason; open(2)'s errno is still there on POSIX systems.
        throw ImageError(path + ": cannot open file" +
                         (errno != 0 ? std::string(": ") + std::strerror(errno) : std::string()));
    }
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::streamoff>(in.tellg());
    if (size < 0) {
        throw ImageError(path + ": cannot read file");
    }
    if (size == 0) {
        throw ImageError(path + ": file is empty");
    }
    in.seekg(0);
    std::vector<uchar> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), size);
    if (!in) {
        throw ImageError(path + ": cannot read file");
    }
    return bytes;
}

// Scales to float [0,1] by the storage depth's full range.
cv::Mat toUnitFloat(const cv::Mat& image, const std::string& name) {
    cv::Mat out;
    switch (image.depth()) {
        case CV_8U:
            image.convertTo(out, CV_32F, 1.0 / 255.0);
            break;
        case CV_16U:
            image.convertTo(out, CV_32F, 1.0 / 65535.0);
            break;
        case CV_32F:
        case CV_64F:
            image.convertTo(out, CV_32F);
            cv::patchNaNs(out, 0.0);
            out = cv::min(cv::max(out, 0.0), 1.0);
            break;
        default:
            throw ImageError(name + ": unsupported pixel depth (OpenCV depth " +
                             std::to_string(image.depth()) + ")");
    }
    return out;
}

cv::Mat toChannels(const cv::Mat& image, int channels, const std::string& name) {
    cv::Mat out;
    const int have = image.channels();
    if (channels == 1) {
        switch (have) {
            case 1:
                out = image;
                break;
            case 2:
                cv::extractChannel(image, out, 0);
                break;
            case 3:
                cv::cvtColor(image, out, cv::COLOR_BGR2GRAY);
                break;
            case 4:
                cv::cvtColor(image, out, cv::COLOR_BGRA2GRAY);
                break;
        }
    } else if (channels == 3) {
        switch (have) {
            case 1:
                cv::cvtColor(image, out, cv::COLOR_GRAY2RGB);
                break;
            case 2: {
                cv::Mat gray;
                cv::extractChannel(image, gray, 0);
                cv::cvtColor(gray, out, cv::COLOR_GRAY2RGB);
                break;
            }
            case 3:
                cv::cvtColor(image, out, cv::COLOR_BGR2RGB);
                break;
            case 4:
                cv::cvtColor(image, out, cv::COLOR_BGRA2RGB);
                break;
        }
    } else if (channels == 4) {
        switch (have) {
            case 1:
                cv::cvtColor(image, out, cv::COLOR_GRAY2RGBA);
                break;
            case 3:
                cv::cvtColor(image, out, cv::COLOR_BGR2RGBA);
                break;
            case 4:
                cv::cvtColor(image, out, cv::COLOR_BGRA2RGBA);
                break;
        }
    }
    if (out.empty()) {
        throw ImageError(name + ": cannot convert " + std::to_string(have) +
                         " channels to the model's " + std::to_string(channels));
    }
    return out;
}

cv::Mat resizeTo(const cv::Mat& image, const InputSpec& spec) {
    const cv::Size target(spec.width, spec.height);
    if (image.size() == target) {
        return image;
    }
    const auto interpolationFor = [](const cv::Size& from, const cv::Size& to) {
        return (to.width < from.width && to.height < from.height) ? cv::INTER_AREA
                                                                  : cv::INTER_LINEAR;
    };
    cv::Mat out;
    if (spec.resize == ResizeMode::Stretch) {
        cv::resize(image, out, target, 0, 0, interpolationFor(image.size(), target));
        return out;
    }
    // Center crop: scale the shorter side to the target's, then cut the middle.
    const double scale =
        std::max(double(spec.width) / image.cols, double(spec.height) / image.rows);
    const cv::Size scaled(std::max(spec.width, int(std::lround(image.cols * scale))),
                          std::max(spec.height, int(std::lround(image.rows * scale))));
    cv::Mat resized;
    cv::resize(image, resized, scaled, 0, 0, interpolationFor(image.size(), scaled));
    const cv::Rect roi((scaled.width - spec.width) / 2, (scaled.height - spec.height) / 2,
                       spec.width, spec.height);
    return resized(roi).clone();
}

}  // namespace

std::uint64_t maxImagePixels() {
    return gMaxImagePixels.load(std::memory_order_relaxed);
}

void setMaxImagePixels(std::uint64_t limit) {
    gMaxImagePixels.store(limit, std::memory_order_relaxed);
}

cv::Mat decodeImageFile(const std::string& path, std::uint64_t maxPixels) {
    const auto bytes = readFileBytes(path);
    const auto header = readImageHeader(bytes);
    if (!header) {
        // Only the formats whose header we read reach a decoder. OpenCV picks its decoder by the
        // bytes, not the name, and some of Debian's are not safe on hostile input: a few bytes
        // that look like DICOM make GDCM fail an assert() and abort the whole process (found by
        // tests/fuzz). JPEG 2000, OpenEXR and Radiance files are refused with them.
        throw ImageError(path + ": " + kNotReadable);
    }
    if (looksLikeDicom(bytes)) {
        // A valid header of ours with DICOM's mark at offset 128 could still reach GDCM, which
        // OpenCV tries before some of our formats' decoders.
        throw ImageError(path + ": " + kNotReadable);
    }
    checkPixelCount(path, header->format + " header declares", header->width, header->height,
                    maxPixels);
    if (header && header->format == "JPEG" && jpegIsTruncated(bytes)) {
        // libjpeg pads a cut-off scan with gray and only warns: refuse rather than classify it.
        throw ImageError(path + ": truncated JPEG (the data ends before the end-of-image marker)");
    }
    cv::Mat image;
    try {
        image = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        throw ImageError(path + ": cannot decode image: " + e.err);
    }
    if (image.empty() && header->format == "GIF") {
        throw ImageError(path + ": GIF cannot be decoded (OpenCV " CV_VERSION
                                " has no GIF reader); convert it to PNG");
    }
    if (image.empty()) {
        throw ImageError(path + ": " + kNotReadable);
    }
    if (image.channels() < 1 || image.channels() > 4) {
        throw ImageError(path + ": unsupported channel count " + std::to_string(image.channels()));
    }
    // The decoded size may differ from the header's (a TIFF's later page, say): check it too.
    checkPixelCount(path, "image has", std::uint64_t(image.cols), std::uint64_t(image.rows),
                    maxPixels);
    return image;
}

cv::Mat toModelPixels(const cv::Mat& decoded, const InputSpec& spec, const std::string& name,
                      double gamma) {
    // cvtColor takes 8-bit, 16-bit and float pixels only: other depths (a TIFF's 32-bit integers
    // or doubles) become unit floats first, or a clear error. The usual depths keep their order
    // (colour to gray in 8 bits, as PIL converts), so their numbers do not move.
    const int depth = decoded.depth();
    const bool colourConvertible = depth == CV_8U || depth == CV_16U || depth == CV_32F;
    cv::Mat image;
    try {
        const cv::Mat pixels = colourConvertible ? decoded : toUnitFloat(decoded, name);
        image = toUnitFloat(toChannels(pixels, spec.channels, name), name);
    } catch (const cv::Exception& e) {
        throw ImageError(name + ": cannot convert its " + std::to_string(decoded.channels()) +
                         " channels to the model's " + std::to_string(spec.channels) + ": " +
                         e.err);
    }
    if (gamma != 1.0) {
        cv::pow(image, gamma, image);
    }
    try {
        return resizeTo(image, spec);
    } catch (const cv::Exception& e) {
        throw ImageError(name + ": cannot resize image: " + e.err);
    }
}

void normalizeToChw(const cv::Mat& pixels, const InputSpec& spec, float* destination) {
    std::vector<cv::Mat> planes;
    cv::split(pixels, planes);
    const std::size_t planeSize = std::size_t(spec.height) * spec.width;
    for (int c = 0; c < spec.channels; ++c) {
        const float mean = spec.mean[c];
        const float std = spec.std[c];
        cv::Mat plane = planes[c];
        if (!plane.isContinuous()) {
            plane = plane.clone();
        }
        const float* src = plane.ptr<float>();
        float* dst = destination + c * planeSize;
        for (std::size_t i = 0; i < planeSize; ++i) {
            dst[i] = (src[i] - mean) / std;
        }
    }
}

std::vector<float> preprocessImage(const cv::Mat& decoded, const InputSpec& spec,
                                   const std::string& name, double gamma) {
    const cv::Mat pixels = toModelPixels(decoded, spec, name, gamma);
    std::vector<float> chw(std::size_t(spec.channels) * spec.height * spec.width);
    normalizeToChw(pixels, spec, chw.data());
    return chw;
}

std::vector<float> loadImageForModel(const std::string& path, const InputSpec& spec) {
    return preprocessImage(decodeImageFile(path), spec, path);
}

}  // namespace ue
