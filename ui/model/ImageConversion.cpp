#include "model/ImageConversion.h"

#include <opencv2/imgproc.hpp>

#include "data/ImageLoader.h"
#include "model/PathText.h"

namespace ue::ui {

QImage toQImage(const cv::Mat& input) {
    if (input.empty()) {
        return {};
    }
    cv::Mat eight;
    switch (input.depth()) {
        case CV_8U:
            eight = input;
            break;
        case CV_16U:
            input.convertTo(eight, CV_8U, 255.0 / 65535.0);
            break;
        case CV_32F:
        case CV_64F:
            input.convertTo(eight, CV_8U, 255.0);
            break;
        default:
            input.convertTo(eight, CV_8U);
            break;
    }
    cv::Mat converted;
    QImage::Format format;
    switch (eight.channels()) {
        case 1:
            converted = eight;
            format = QImage::Format_Grayscale8;
            break;
        case 2:
            cv::extractChannel(eight, converted, 0);
            format = QImage::Format_Grayscale8;
            break;
        case 3:
            cv::cvtColor(eight, converted, cv::COLOR_BGR2RGB);
            format = QImage::Format_RGB888;
            break;
        default:
            cv::cvtColor(eight, converted, cv::COLOR_BGRA2RGBA);
            format = QImage::Format_RGBA8888;
            break;
    }
    // QImage wraps the Mat's buffer; copy() detaches it before the Mat goes away.
    return QImage(converted.data, converted.cols, converted.rows, int(converted.step), format)
        .copy();
}

QImage loadDisplayImage(const QString& path, int maxSide, QString* error) {
    try {
        cv::Mat decoded = decodeImageFile(pathBytes(path));
        if (maxSide > 0 && std::max(decoded.cols, decoded.rows) > maxSide) {
            const double scale = double(maxSide) / std::max(decoded.cols, decoded.rows);
            cv::Mat small;
            cv::resize(decoded, small, cv::Size(), scale, scale, cv::INTER_AREA);
            decoded = small;
        }
        return toQImage(decoded);
    } catch (const std::exception& e) {
        if (error) {
            *error = shownMessage(e.what());
        }
        return {};
    }
}

}  // namespace ue::ui
