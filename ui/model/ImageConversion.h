#pragma once
#include <QImage>
#include <QString>
#include <opencv2/core.hpp>

namespace ue::ui {

// Deep-copies a decoded image (any depth OpenCV gives, 1-4 channels, BGR order) into an 8-bit
// QImage for display: gray -> Grayscale8, colour -> RGB888, with alpha -> ARGB32. 16-bit and
// float images are scaled by their full range.
QImage toQImage(const cv::Mat& image);

// Decodes a file with core's loader (so the GUI shows what the model sees) and scales it to fit
// `maxSide` (0 = full size). Returns a null image and sets `error` when it cannot be read.
QImage loadDisplayImage(const QString& path, int maxSide, QString* error = nullptr);

}  // namespace ue::ui
