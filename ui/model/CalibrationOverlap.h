#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "data/ImagePathSet.h"

namespace ue {
struct ImageResult;
}

namespace ue::ui {

// Which rows of the current run are images a study was calibrated on (the validation set of
// the thresholds or of conformal prediction): judged on them, its numbers are optimistic.
// Looking a row up costs a stat, and a study redraws at every change of q or α with the same
// images, so each row's answer is kept until the run or the calibration set changes.
class CalibrationOverlap {
  public:
    // A new calibration set; its images follow with addCalibrationImage.
    void clearCalibration();
    void addCalibrationImage(const std::string& path);
    // The current run's rows are other images now (a new run, or rows reordered).
    void forgetRows() { rowIsCalibrationImage_.clear(); }

    // Whether `row` of a run of `rows` rows, holding `result`, is a calibration image.
    bool isCalibrationImage(int row, int rows, const ImageResult& result);

  private:
    ImagePathSet calibration_;
    // Per row, once looked up: -1 not yet, 0 no, 1 yes.
    std::vector<signed char> rowIsCalibrationImage_;
};

}  // namespace ue::ui
