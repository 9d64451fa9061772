#include "metrics/RankBreakdown.h"

#include <algorithm>
#include <numeric>
#include <ostream>

#include "io/CsvWriter.h"

namespace ue {
namespace {

const char* kGroupNames[RankBreakdown::kGroups] = {"1", "2", "3+"};

std::string columnName(Score score) {
    std::string name = scoreName(score);
    std::replace(name.begin(), name.end(), ' ', '_');
    return name;
}

}  // namespace

int trueClassRank(const std::vector<float>& mean, int label) {
    const float p = mean[std::size_t(label)];
    int rank = 1;
    for (int c = 0; c < int(mean.size()); ++c) {
        if (mean[std::size_t(c)] > p || (mean[std::size_t(c)] == p && c < label)) {
            ++rank;
        }
    }
    return rank;
}

void RankBreakdown::add(const ImageSummary& summary, int label) {
    if (label < 0 || std::size_t(label) >= summary.mean.size()) {
        return;
    }
    auto& group = values_[std::size_t(groupOf(trueClassRank(summary.mean, label)))];
    group.resize(kScoreCount);
    for (Score score : scoresFor(true)) {
        group[scoreIndex(score)].push_back(scoreValue(summary, score));
    }
}

std::size_t RankBreakdown::labelled() const {
    return count(0) + count(1) + count(2);
}

double RankBreakdown::share(int group) const {
    const std::size_t total = labelled();
    return total ? double(count(group)) / double(total) : 0.0;
}

const std::vector<double>& RankBreakdown::values(int group, Score score) const {
    static const std::vector<double> none;
    const auto& byScore = values_[std::size_t(group)];
    return byScore.empty() ? none : byScore[scoreIndex(score)];
}

double RankBreakdown::mean(int group, Score score) const {
    const auto& v = values(group, score);
    return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

double RankBreakdown::quantile(int group, Score score, double q) const {
    std::vector<double> v = values(group, score);
    if (v.empty()) {
        return 0.0;
    }
    std::sort(v.begin(), v.end());
    return quantileSorted(v, q);
}

void writeRankBreakdownCsv(std::ostream& out, const RankBreakdown& breakdown,
                           const std::vector<Score>& scores) {
    CsvWriter csv(out);
    std::vector<std::string> header = {"true_class_rank", "images", "share"};
    for (Score score : scores) {
        header.push_back("mean_" + columnName(score));
        header.push_back("median_" + columnName(score));
    }
    csv.header(header);
    for (int group = 0; group < RankBreakdown::kGroups; ++group) {
        csv.text(kGroupNames[group])
            .integer((long long)breakdown.count(group))
            .number(breakdown.share(group));
        for (Score score : scores) {
            if (breakdown.count(group) > 0) {
                csv.number(breakdown.mean(group, score))
                    .number(breakdown.quantile(group, score, 0.5));
            } else {
                csv.empty().empty();
            }
        }
        csv.endRow();
    }
}

}  // namespace ue
