#pragma once
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "augment/AugmentPolicy.h"
#include "model/ModelMeta.h"

namespace ue {

// One copy: `pixels` (the model's size and channels, [0,1] floats, from toModelPixels) with a
// draw applied. Order: mirror, then one affine warp for shift/rotation/scale about the centre,
// then gamma, contrast (around the mean of all pixel values), brightness, clipping to [0,1],
// and Gaussian noise, clipped again.
cv::Mat applyAugmentation(const cv::Mat& pixels, const AugmentDraw& draw, AugmentBorder border);

// What the model gets for one decoded image (x -> x^gamma first): its C x H x W input, or with
// `policy` on, every copy (copies x C x H x W). The one place a run's inputs are prepared.
std::vector<float> modelInputs(const cv::Mat& decoded, const InputSpec& spec,
                               const std::string& nameForErrors, const AugmentPolicy& policy,
                               std::uint64_t imageKey, double gamma = 1.0);

// Every copy of one image, normalised for the model: copies x C x H x W floats.
std::vector<float> augmentedInputs(const cv::Mat& pixels, const AugmentPolicy& policy,
                                   const InputSpec& spec, std::uint64_t imageKey);

}  // namespace ue
