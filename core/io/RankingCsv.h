#pragma once
#include <ostream>
#include <vector>

#include "io/SummaryReport.h"
#include "metrics/Scores.h"

namespace ue {

// The most uncertain images, most uncertain first, one row each: rank (from 1), path, label
// (empty when unlabelled), prediction (argmax), score (the name it was ranked by, as
// `--rank-by` spells it), value (that score), predictive_entropy, mutual_information. What
// `analyze --ranking-out` and the window's Rank dock write, so a list to relabel or inspect
// needs no sorting of the whole results file.
void writeRankingCsv(std::ostream& out, const std::vector<RankedImage>& images, Score rankedBy);

}  // namespace ue
