#include "metrics/OodMetrics.h"

#include <algorithm>
#include <ostream>
#include <utility>

#include "io/CsvWriter.h"

namespace ue {
namespace {}  // namespace

OodDetection detectOutOfDistribution(const std::vector<double>& inScores,
                                     const std::vector<double>& outScores, Score score) {
    OodDetection result;
    result.score = score;
    result.inImages = inScores.size();
    result.outImages = outScores.size();
    if (inScores.empty() || outScores.empty()) {
        return result;
    }
    // All images, highest score first; `true` marks an OOD image.
    std::vector<std::pair<double, bool>> all;
    all.reserve(inScores.size() + outScores.size());
    for (double v : inScores) {
        all.emplace_back(v, false);
    }
    for (double v : outScores) {
        all.emplace_back(v, true);
    }
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    const double positives = double(outScores.size());
    const double negatives = double(inScores.size());
    double truePositives = 0;
    double falsePositives = 0;
    double previousRecall = 0;
    result.roc.push_back({0, 0});
    bool fprFound = false;
    for (std::size_t i = 0; i < all.size();) {
        // One threshold per distinct score: every image at that value is flagged together.
        const double threshold = all[i].first;
        for (; i < all.size() && all[i].first == threshold; ++i) {
            (all[i].second ? truePositives : falsePositives) += 1;
        }
        const RocPoint point{falsePositives / negatives, truePositives / positives};
        const RocPoint& last = result.roc.back();
        result.auroc += (point.fpr - last.fpr) * (point.tpr + last.tpr) / 2;  // trapezoid
        result.roc.push_back(point);
        const double recall = truePositives / positives;
        const double precision = truePositives / (truePositives + falsePositives);
        result.aupr += (recall - previousRecall) * precision;
        previousRecall = recall;
        if (!fprFound && point.tpr >= 0.95) {
            result.fprAt95Tpr = point.fpr;
            fprFound = true;
        }
    }
    return result;
}

void OodAccumulator::addIn(const ImageSummary& summary) {
    for (Score score : scoresFor(true)) {
        in_[scoreIndex(score)].push_back(uncertaintyOf(summary, score));
    }
}

void OodAccumulator::addOut(const ImageSummary& summary) {
    for (Score score : scoresFor(true)) {
        out_[scoreIndex(score)].push_back(uncertaintyOf(summary, score));
    }
}

const std::vector<double>& OodAccumulator::inValues(Score score) const {
    return in_[scoreIndex(score)];
}

const std::vector<double>& OodAccumulator::outValues(Score score) const {
    return out_[scoreIndex(score)];
}

std::vector<OodDetection> OodAccumulator::results(const std::vector<Score>& scores) const {
    std::vector<OodDetection> results;
    for (Score score : scores) {
        results.push_back(detectOutOfDistribution(inValues(score), outValues(score), score));
    }
    std::stable_sort(results.begin(), results.end(),
                     [](const auto& a, const auto& b) { return a.auroc > b.auroc; });
    return results;
}

void writeOodReportCsv(std::ostream& out, const std::vector<OodDetection>& detections) {
    CsvWriter csv(out);
    csv.header({"score", "auroc", "aupr", "fpr_at_95_tpr", "in_images", "out_images"});
    for (const auto& d : detections) {
        csv.text(scoreName(d.score))
            .number(d.auroc)
            .number(d.aupr)
            .number(d.fprAt95Tpr)
            .integer((long long)d.inImages)
            .integer((long long)d.outImages)
            .endRow();
    }
}

}  // namespace ue
