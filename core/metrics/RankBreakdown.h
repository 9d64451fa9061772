#pragma once
#include <array>
#include <cstddef>
#include <iosfwd>
#include <vector>

#include "metrics/ImageSummary.h"
#include "metrics/Scores.h"

namespace ue {

// Where the true class lands in an image's ranking of mean probabilities: 1 when it is the
// argmax, 2 when second, ... Classes tied with it and of lower index rank ahead of it, as
// argmax() breaks ties.
int trueClassRank(const std::vector<float>& mean, int label);

// The classic BDL breakdown over a labelled set: the share of images whose true class ranks
// 1st, 2nd, or 3rd or lower, and each group's uncertainty scores (their raw values, in the
// score's own units), to show uncertainty rising as the true class falls down the ranking.
class RankBreakdown {
  public:
    static constexpr int kGroups = 3;  // rank 1, rank 2, rank 3+
    static int groupOf(int rank) { return rank >= 3 ? 2 : rank - 1; }

    // Unlabelled images are ignored.
    void add(const ImageSummary& summary, int label);
    std::size_t labelled() const;
    std::size_t count(int group) const {
        return values_[group].empty() ? 0 : values_[group][0].size();
    }
    double share(int group) const;
    // The group's values of one score, in insertion order.
    const std::vector<double>& values(int group, Score score) const;
    double mean(int group, Score score) const;  // 0 for an empty group
    // The q-quantile (0..1, numpy's linear interpolation); 0 for an empty group.
    double quantile(int group, Score score, double q) const;

  private:
    std::array<std::vector<std::vector<double>>, kGroups> values_;  // [group][score][image]
};

// One row per group: group, images, share, then mean_/median_ of each of `scores` (allScores(),
// or the model's scoresFor()).
void writeRankBreakdownCsv(std::ostream& out, const RankBreakdown& breakdown,
                           const std::vector<Score>& scores = allScores());

}  // namespace ue
