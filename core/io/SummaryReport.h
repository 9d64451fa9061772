#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "engine/McEngine.h"
#include "metrics/Scores.h"
#include "metrics/SetMetrics.h"

namespace ue {

class ModelBundle;

struct RankedImage {
    std::string path;
    std::string label;       // empty when unlabelled
    std::string prediction;  // argmax
    double score = 0;        // the value of the score ranked by, in its own units
    double predictiveEntropy = 0;
    double mutualInformation = 0;
};

// `result` (analysed) as the ranking lists it, by `score`; `classes` name its label and prediction.
RankedImage rankedImage(const ImageResult& result, const std::vector<std::string>& classes,
                        Score score);

// Keeps the k images most uncertain by one score seen so far, in O(k) memory. Ties keep the
// order of arrival, as the window's ranking keeps the order of the run.
class UncertaintyRanking {
  public:
    explicit UncertaintyRanking(std::size_t keep, Score by = Score::PredictiveEntropy)
        : keep_(keep), by_(by) {}
    Score rankedBy() const { return by_; }
    void add(RankedImage image);
    const std::vector<RankedImage>& mostUncertain() const { return images_; }

  private:
    std::size_t keep_;
    Score by_;
    std::vector<RankedImage> images_;  // sorted, most uncertain first
};

struct RunSummary {
    std::string modelName;
    std::string method;
    RunReport report;
    SetMetrics metrics;
    std::vector<RankedImage> mostUncertain;
    Score rankedBy = Score::PredictiveEntropy;
    std::vector<std::string> failures;  // one message per failed image
    // Inputs that gave no image to run (missing, unreadable, a folder that cannot be listed, a
    // pipe...): ScanResult::problems. They fail the run (exit 1) as failed images do.
    std::vector<std::string> inputProblems;
};

// The human-readable summary `analyze` prints on stdout.
std::string formatRunSummary(const RunSummary& summary);

// What `info` prints: meta, stochastic modules found, whether MC passes differ.
std::string formatModelInfo(const ModelBundle& bundle);

}  // namespace ue
