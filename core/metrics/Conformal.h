#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace ue {

// Split conformal prediction on the mean probabilities p̄ of an image (Angelopoulos & Bates,
// "A Gentle Introduction to Conformal Prediction", 2021). A nonconformity score s(x, y) is
// computed for every labelled calibration (validation) image at its true label; q̂ is the
// ⌈(n+1)(1−α)⌉-th smallest of the n scores (+∞ when that exceeds n); a test image's prediction
// set is every class y with s(x, y) ≤ q̂, which holds the true class with probability ≥ 1 − α.
//   LAC: s(x, y) = 1 − p̄_y.
//   APS (non-randomised): s(x, y) = the sum of p̄_j over the classes ranked at or above y when
//        classes are sorted by p̄ descending (ties: lower class index first).
enum class ConformalMethod { Lac, Aps };
std::string toString(ConformalMethod method);
ConformalMethod conformalMethodFromString(const std::string& name);  // "lac" / "aps"; throws

double conformalScore(ConformalMethod method, const std::vector<float>& probabilities, int label);
// The classes of the set, most probable first.
std::vector<int> predictionSet(ConformalMethod method, const std::vector<float>& probabilities,
                               double qhat);

class ConformalCalibrator {
  public:
    explicit ConformalCalibrator(ConformalMethod method) : method_(method) {}
    ConformalMethod method() const { return method_; }
    // Ignores an image without a label in range.
    void add(const std::vector<float>& probabilities, int label);
    std::size_t count() const { return scores_.size(); }
    // q̂ for miscoverage α in (0, 1); +∞ when there are too few images for that α.
    double qhat(double alpha) const;

  private:
    ConformalMethod method_;
    std::vector<double> scores_;
};

// Over a labelled test set: empirical coverage, and how large the sets are.
class ConformalEvaluator {
  public:
    explicit ConformalEvaluator(std::size_t classes) : sizeCounts_(classes + 1, 0) {}
    void add(const std::vector<int>& set, int label);  // label < 0: counted for sizes only
    std::size_t images() const { return images_; }
    std::size_t labelled() const { return labelled_; }
    double coverage() const { return labelled_ ? double(covered_) / double(labelled_) : 0.0; }
    double meanSetSize() const;
    // How many images got a set of each size 0..classes.
    const std::vector<std::size_t>& sizeCounts() const { return sizeCounts_; }

  private:
    std::size_t images_ = 0, labelled_ = 0, covered_ = 0;
    std::vector<std::size_t> sizeCounts_;
};

}  // namespace ue
