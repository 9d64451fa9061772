#pragma once
#include <cstddef>
#include <iosfwd>
#include <vector>

#include "metrics/ImageSummary.h"
#include "metrics/Scores.h"

namespace ue {

struct RocPoint {
    double fpr = 0;
    double tpr = 0;
};

// How well one score separates out-of-distribution images (the positives) from
// in-distribution ones, when an image is flagged as OOD for a score at or above a threshold
// (scores oriented so that larger = more uncertain).
struct OodDetection {
    Score score = Score::PredictiveEntropy;
    std::size_t inImages = 0;
    std::size_t outImages = 0;
    double auroc = 0;           // area under the ROC curve; ties between the sets count one half
    double aupr = 0;            // average precision with OOD as the positive class
    double fprAt95Tpr = 0;      // FPR at the first threshold (from the top) flagging >= 95 % of OOD
    std::vector<RocPoint> roc;  // from (0,0) to (1,1), one point per distinct threshold
};

// Same definitions as scikit-learn's roc_auc_score, average_precision_score and roc_curve.
OodDetection detectOutOfDistribution(const std::vector<double>& inScores,
                                     const std::vector<double>& outScores, Score score);

// Collects every score's value for the two sets.
class OodAccumulator {
  public:
    void addIn(const ImageSummary& summary);
    void addOut(const ImageSummary& summary);
    std::size_t inCount() const { return in_.empty() ? 0 : in_.front().size(); }
    std::size_t outCount() const { return out_.empty() ? 0 : out_.front().size(); }
    // The oriented values (larger = more uncertain) of one score in one set.
    const std::vector<double>& inValues(Score score) const;
    const std::vector<double>& outValues(Score score) const;
    // Each of `scores` (allScores(), or the model's scoresFor()), best AUROC first.
    std::vector<OodDetection> results(const std::vector<Score>& scores = allScores()) const;

  private:
    std::vector<std::vector<double>> in_ = std::vector<std::vector<double>>(kScoreCount);
    std::vector<std::vector<double>> out_ = std::vector<std::vector<double>>(kScoreCount);
};

// The report `uncertainty-cli ood --report` writes: score, auroc, aupr, fpr_at_95_tpr,
// in_images, out_images, one row per detection in the given order.
void writeOodReportCsv(std::ostream& out, const std::vector<OodDetection>& detections);

}  // namespace ue
