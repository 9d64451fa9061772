#include "model/CalibrationOverlap.h"

#include "engine/McEngine.h"

namespace ue::ui {

void CalibrationOverlap::clearCalibration() {
    calibration_.clear();
    forgetRows();
}

void CalibrationOverlap::addCalibrationImage(const std::string& path) {
    calibration_.add(path);
    forgetRows();  // a row looked up before may be among the images just added
}

bool CalibrationOverlap::isCalibrationImage(int row, int rows, const ImageResult& result) {
    if (calibration_.empty()) {
        return false;
    }
    // A run only appends rows (a new one resets the model, and forgetRows with it), so the
    // answers kept for the rows before stay true.
    if (rowIsCalibrationImage_.size() > std::size_t(rows)) {
        rowIsCalibrationImage_.clear();
    }
    rowIsCalibrationImage_.resize(std::size_t(rows), -1);
    signed char& known = rowIsCalibrationImage_[std::size_t(row)];
    if (known < 0) {
        known = calibration_.contains(result.path) ? 1 : 0;
    }
    return known > 0;
}

}  // namespace ue::ui
