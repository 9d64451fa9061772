#pragma once
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "model/ModelMeta.h"

namespace ue {

// The most pixels (width x height) an image may have. A decoder allocates what the header
// declares before it reads any pixel, so a few-kilobyte file can ask for gigabytes (a
// decompression bomb); headers are read first and such files refused. 100 megapixels is far
// beyond what a classifier's input needs and bounds one decoded RGB image at ~1.2 GB as floats.
inline constexpr std::uint64_t kDefaultMaxImagePixels = 100'000'000;

// The limit every decode uses unless told otherwise: process-wide, so the CLI's --max-pixels and
// the window's setting reach every place that decodes (runs, thumbnails, previews, benches).
std::uint64_t maxImagePixels();
void setMaxImagePixels(std::uint64_t limit);

// Decodes PNG, JPEG, BMP, TIFF, WebP, PNM/PAM/PFM and Sun raster files, 8/16-bit or float, 1-4
// channels, exactly as stored; other bytes never reach a decoder (readImageHeader must know the
// format). Throws ImageError naming the file and the problem; an image over `maxPixels` is
// refused from its header, before decoding, naming its dimensions.
cv::Mat decodeImageFile(const std::string& path, std::uint64_t maxPixels = maxImagePixels());

// Converts a decoded image to the model's input: channels (alpha dropped, gray replicated to
// RGB, colour to gray by ITU-R 601 luma), values scaled to [0,1] (8-bit /255, 16-bit /65535),
// resized per spec, normalised by mean/std. Returns CHW floats, RGB channel order. `gamma` != 1
// transforms the [0,1] values as x -> x^gamma before resizing (gamma < 1 brightens, > 1 darkens).
std::vector<float> preprocessImage(const cv::Mat& decoded, const InputSpec& spec,
                                   const std::string& nameForErrors, double gamma = 1.0);

// The first half of preprocessImage: the image in the model's channels (RGB order) and size,
// as [0,1] floats (CV_32FC<channels>), before normalisation. Augmentations work on this.
cv::Mat toModelPixels(const cv::Mat& decoded, const InputSpec& spec,
                      const std::string& nameForErrors, double gamma = 1.0);

// The second half: normalises model pixels by mean/std into C x H x W floats at `destination`.
void normalizeToChw(const cv::Mat& pixels, const InputSpec& spec, float* destination);

// decodeImageFile + preprocessImage.
std::vector<float> loadImageForModel(const std::string& path, const InputSpec& spec);

}  // namespace ue
