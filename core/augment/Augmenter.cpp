#include "augment/Augmenter.h"

#include <opencv2/imgproc.hpp>

#include "data/ImageLoader.h"

namespace ue {
namespace {

int openCvBorder(AugmentBorder border) {
    switch (border) {
        case AugmentBorder::Replicate:
            return cv::BORDER_REPLICATE;
        case AugmentBorder::Zero:
            return cv::BORDER_CONSTANT;
        case AugmentBorder::Reflect:
            break;
    }
    return cv::BORDER_REFLECT_101;
}

cv::Mat warp(const cv::Mat& pixels, const AugmentDraw& draw, AugmentBorder border) {
    cv::Mat out;
    const bool onlyFlip = draw.flip && draw.shiftX == 0 && draw.shiftY == 0 &&
                          draw.rotationDegrees == 0 && draw.scale == 1;
    if (onlyFlip) {
        cv::flip(pixels, out, 1);  // exact, and cheaper than a warp
        return out;
    }
    const double width = pixels.cols;
    const double height = pixels.rows;
    const cv::Point2f centre(float((width - 1) / 2), float((height - 1) / 2));
    cv::Mat affine = cv::getRotationMatrix2D(centre, draw.rotationDegrees, draw.scale);
    affine.at<double>(0, 2) += draw.shiftX * width;
    affine.at<double>(1, 2) += draw.shiftY * height;
    if (draw.flip) {
        // Mirror first: x -> (width - 1) - x, composed into the warp's matrix.
        affine.at<double>(0, 2) += affine.at<double>(0, 0) * (width - 1);
        affine.at<double>(1, 2) += affine.at<double>(1, 0) * (width - 1);
        affine.at<double>(0, 0) = -affine.at<double>(0, 0);
        affine.at<double>(1, 0) = -affine.at<double>(1, 0);
    }
    cv::warpAffine(pixels, out, affine, pixels.size(), cv::INTER_LINEAR, openCvBorder(border),
                   cv::Scalar::all(0));
    return out;
}

void clipUnit(cv::Mat& image) {
    cv::min(image, 1.0, image);
    cv::max(image, 0.0, image);
}

}  // namespace

cv::Mat applyAugmentation(const cv::Mat& pixels, const AugmentDraw& draw, AugmentBorder border) {
    cv::Mat image = draw.identityGeometry() ? pixels.clone() : warp(pixels, draw, border);
    bool changed = false;
    if (draw.gamma != 1) {
        cv::max(image, 0.0, image);
        cv::pow(image, draw.gamma, image);
        changed = true;
    }
    if (draw.contrast != 1) {
        const cv::Scalar perChannel = cv::mean(image);
        double mean = 0;
        for (int c = 0; c < image.channels(); ++c) {
            mean += perChannel[c] / image.channels();
        }
        image.convertTo(image, CV_32F, draw.contrast, (1 - draw.contrast) * mean);
        changed = true;
    }
    if (draw.brightness != 0) {
        image += cv::Scalar::all(draw.brightness);
        changed = true;
    }
    if (changed) {
        clipUnit(image);
    }
    if (draw.noiseStd > 0) {
        cv::Mat noise(image.size(), image.type());
        cv::RNG rng(draw.noiseSeed);
        rng.fill(noise, cv::RNG::NORMAL, 0.0, draw.noiseStd);
        image += noise;
        clipUnit(image);
    }
    return image;
}

std::vector<float> augmentedInputs(const cv::Mat& pixels, const AugmentPolicy& policy,
                                   const InputSpec& spec, std::uint64_t imageKey) {
    const std::size_t floats = std::size_t(spec.channels) * spec.height * spec.width;
    std::vector<float> out(floats * std::size_t(policy.copies));
    for (int copy = 0; copy < policy.copies; ++copy) {
        const AugmentDraw draw = drawAugmentation(policy, imageKey, copy);
        normalizeToChw(applyAugmentation(pixels, draw, policy.border), spec,
                       out.data() + copy * floats);
    }
    return out;
}

std::vector<float> modelInputs(const cv::Mat& decoded, const InputSpec& spec,
                               const std::string& name, const AugmentPolicy& policy,
                               std::uint64_t imageKey, double gamma) {
    if (!policy.enabled()) {
        return preprocessImage(decoded, spec, name, gamma);
    }
    return augmentedInputs(toModelPixels(decoded, spec, name, gamma), policy, spec, imageKey);
}

}  // namespace ue
