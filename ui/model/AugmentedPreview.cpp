#include "model/AugmentedPreview.h"

#include <QObject>
#include <QStringList>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "augment/Augmenter.h"
#include "data/ImageLoader.h"
#include "model/ImageConversion.h"
#include "model/PathText.h"

namespace ue::ui {
namespace {

QString signedNumber(double value, int decimals) {
    return (value >= 0 ? QStringLiteral("+") : QStringLiteral("−")) +
           QString::number(std::abs(value), 'f', decimals);
}

// Model pixels are RGB floats in [0,1]; toQImage wants OpenCV's 8-bit BGR.
QImage displayable(const cv::Mat& pixels) {
    cv::Mat bytes;
    pixels.convertTo(bytes, CV_8U, 255.0);
    if (bytes.channels() == 3) {
        cv::cvtColor(bytes, bytes, cv::COLOR_RGB2BGR);
    } else if (bytes.channels() == 4) {
        cv::cvtColor(bytes, bytes, cv::COLOR_RGBA2BGRA);
    }
    return toQImage(bytes);
}

}  // namespace

QString describeDraw(const AugmentDraw& draw, int width, int height) {
    QStringList parts;
    if (draw.flip) {
        parts << QObject::tr("mirrored");
    }
    if (draw.shiftX != 0 || draw.shiftY != 0) {
        parts << QObject::tr("shifted (%1, %2) px")
                     .arg(signedNumber(draw.shiftX * width, 1),
                          signedNumber(draw.shiftY * height, 1));
    }
    if (draw.rotationDegrees != 0) {
        parts << QObject::tr("rotated %1°").arg(signedNumber(draw.rotationDegrees, 1));
    }
    if (draw.scale != 1) {
        parts << QObject::tr("zoom ×%1").arg(draw.scale, 0, 'f', 2);
    }
    if (draw.gamma != 1) {
        parts << QObject::tr("γ %1").arg(draw.gamma, 0, 'f', 2);
    }
    if (draw.contrast != 1) {
        parts << QObject::tr("contrast ×%1").arg(draw.contrast, 0, 'f', 2);
    }
    if (draw.brightness != 0) {
        parts << QObject::tr("brightness %1").arg(signedNumber(draw.brightness, 2));
    }
    if (draw.noiseStd > 0) {
        parts << QObject::tr("noise σ %1").arg(draw.noiseStd, 0, 'f', 2);
    }
    return parts.isEmpty() ? QObject::tr("unchanged") : parts.join(QStringLiteral(", "));
}

std::vector<AugmentedCopy> augmentedPreviews(const QString& path, const InputSpec& spec,
                                             const AugmentPolicy& policy, std::uint64_t imageKey,
                                             int maxCopies, QString* error) {
    std::vector<AugmentedCopy> copies;
    cv::Mat pixels;
    try {
        pixels = toModelPixels(decodeImageFile(pathBytes(path)), spec, pathBytes(path));
    } catch (const std::exception& e) {
        if (error) {
            *error = shownMessage(e.what());
        }
        return copies;
    }
    const int count = std::min(std::max(policy.copies, 0), maxCopies);
    copies.reserve(std::size_t(count));
    for (int copy = 0; copy < count; ++copy) {
        const AugmentDraw draw = drawAugmentation(policy, imageKey, copy);
        copies.push_back({displayable(applyAugmentation(pixels, draw, policy.border)),
                          describeDraw(draw, pixels.cols, pixels.rows),
                          policy.includeOriginal && copy == 0});
    }
    return copies;
}

}  // namespace ue::ui
