#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "engine/McEngine.h"
#include "io/CsvWriter.h"

namespace ue {

// The per-image results table (columns documented in the README): one row per image, failed
// images included with their error.
class ResultsCsv {
  public:
    // `thresholds`: per-class thresholds for the pred_threshold_rule column (empty: no rule).
    // `keyColumn`: a numeric column inserted after "label" (e.g. "gamma" for a sweep's rows).
    ResultsCsv(std::ostream& out, std::vector<std::string> classes,
               std::vector<float> thresholds = {}, std::string keyColumn = {});
    void write(const ImageResult& result, double key = 0);
    static std::vector<std::string> columns(const std::vector<std::string>& classes);

  private:
    std::string className(int index) const;
    CsvWriter csv_;
    std::vector<std::string> classes_;
    std::vector<float> thresholds_;
    std::string keyColumn_;
    std::size_t columnCount_;
};

// The raw Monte Carlo samples: one row per image and pass (path, pass, p_<class>...). A column
// is added for each axis the run has beyond the passes: copy (test-time augmentation) and member
// (ensembles): path, copy, member, pass, p_<class>...
class RawSamplesCsv {
  public:
    RawSamplesCsv(std::ostream& out, const std::vector<std::string>& classes, SampleAxes axes = {});
    void write(const ImageResult& result);

  private:
    CsvWriter csv_;
    std::size_t classes_;
    SampleAxes axes_;
};

}  // namespace ue
