#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include "metrics/ImageSummary.h"
#include "metrics/Scores.h"

namespace ue {

// One bin of a reliability diagram: the images whose confidence (max mean probability) falls
// in it, their mean confidence and their accuracy.
struct ReliabilityBin {
    double lower = 0;
    double upper = 0;
    std::size_t count = 0;
    double meanConfidence = 0;  // 0 for an empty bin
    double accuracy = 0;        // 0 for an empty bin
};

struct CalibrationReport {
    std::size_t labelled = 0;
    double accuracy = 0;
    double nll = 0;
    double brier = 0;
    // Equal-width bins on [0,1] ((lo, hi], the first also takes 0), and equal-mass bins
    // (confidences sorted, split into bins of equal count, the first n % bins one larger, as
    // numpy's array_split does). ECE = sum over bins of count/n * |accuracy - confidence|.
    std::vector<ReliabilityBin> equalWidth;
    std::vector<ReliabilityBin> equalMass;
    double eceEqualWidth = 0;
    double eceEqualMass = 0;
};

// Selective prediction with one score: images sorted from most to least confident by it (ties
// keep input order), and at coverage k/n the risk (error rate) of the k kept.
struct RiskCoverageCurve {
    Score score = Score::MaxProbability;
    std::vector<double> coverage;  // k/n, k = 1..n
    std::vector<double> risk;      // errors among the first k, divided by k
    // Area under the curve: the mean of risk over k = 1..n (lower is better: the score puts
    // the errors last). Also given: the best possible AURC for this error rate (all errors
    // last) so a score can be judged against it.
    double aurc = 0;
    double optimalAurc = 0;
};

// Collects what calibration and selective prediction need from labelled images; unlabelled
// images are ignored. Memory: a few numbers per image.
class CalibrationAccumulator {
  public:
    void add(const ImageSummary& summary, int label);
    std::size_t labelled() const { return confidence_.size(); }

    CalibrationReport calibration(int bins = 15) const;
    RiskCoverageCurve riskCoverage(Score score) const;
    // One curve per score in `scores`: allScores(), or the model's scoresFor().
    std::vector<RiskCoverageCurve> riskCoverageAllScores(
        const std::vector<Score>& scores = allScores()) const;
    // Whether the i-th labelled image (in the order added) was classified correctly (argmax),
    // and its uncertainty under `score` (larger = more uncertain): for views that select the
    // images a coverage level rejects.
    bool correct(std::size_t i) const { return correct_[i]; }
    double uncertainty(std::size_t i, Score score) const;

  private:
    std::vector<double> confidence_;
    std::vector<bool> correct_;
    std::vector<std::array<double, kScoreCount>> scores_;  // uncertaintyOf by scoreIndex
    double nll_ = 0;
    double brier_ = 0;
};

}  // namespace ue
