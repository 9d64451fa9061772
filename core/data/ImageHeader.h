#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ue {

// What an image file's header declares, read without decoding a pixel.
struct ImageHeader {
    std::string format;  // "PNG", "JPEG", "GIF", "BMP", "WebP", "TIFF", "PNM", "Sun raster"
    std::uint64_t width = 0;
    std::uint64_t height = 0;
};

// The declared size of a PNG, JPEG, GIF, BMP, WebP, TIFF (first page), PNM/PAM/PFM or Sun raster
// file. Decoders allocate from these numbers before reading any pixel data, so a tiny file can
// ask for gigabytes (a decompression bomb): reading them first lets the loader refuse it. Nothing
// when the format is another one or the header is cut short; the decoder then judges the file.
std::optional<ImageHeader> readImageHeader(const std::vector<unsigned char>& bytes);

// A JPEG whose last scan is not followed by an end-of-image marker: the file was cut off. (Bytes
// after the marker, which some cameras append, are allowed.)
bool jpegIsTruncated(const std::vector<unsigned char>& bytes);

}  // namespace ue
