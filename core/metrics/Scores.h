#pragma once
#include <string>
#include <vector>

#include "metrics/ImageSummary.h"

namespace ue {

// The per-image uncertainty scores an image can be ranked by.
enum class Score {
    PredictiveEntropy,
    MutualInformation,
    ExpectedEntropy,
    VariationRatio,
    Margin,
    MaxProbability,
};

const std::vector<Score>& allScores();
// The position of `score` in allScores(), for per-score arrays.
std::size_t scoreIndex(Score score);
std::string scoreName(Score score);  // "predictive entropy", ...
// The name with the part of the uncertainty the score measures, for pickers: "predictive entropy
// (total)", "expected entropy (aleatoric)", "mutual information (epistemic)"; others as named.
std::string scoreLabel(Score score);
double scoreValue(const ImageSummary& summary, Score score);
// Margin and max probability are confidences: a low value means an uncertain image.
bool higherIsMoreUncertain(Score score);
// scoreValue oriented so that larger always means more uncertain (for ranking).
double uncertaintyOf(const ImageSummary& summary, Score score);

}  // namespace ue
