#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "io/CsvWriter.h"
#include "metrics/Conformal.h"

namespace ue {

// Conformal prediction sets, one row per image and method: path, label, method, qhat, set
// (class names joined by |, most probable first), set_size, covered (empty when unlabelled).
class ConformalSetsCsv {
  public:
    ConformalSetsCsv(std::ostream& out, std::vector<std::string> classes);
    void write(const std::string& path, int label, ConformalMethod method, double qhat,
               const std::vector<int>& set);

  private:
    CsvWriter csv_;
    std::vector<std::string> classes_;
};

}  // namespace ue
