#pragma once
#include <optional>
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
    // The model's own predicted logit variance (a heteroscedastic head); aleatoric.
    LogitVariance,
};

// The scores every model has: they come from the sampled probabilities.
const std::vector<Score>& allScores();
// The scores a model offers: allScores(), and logit variance only when the model predicts one.
// Any other model's images all have 0 there, so it would rank by ties and detect with an
// AUROC of 0.5, which reads like a finding.
const std::vector<Score>& scoresFor(bool predictsLogitVariance);
// Every Score: the size of per-score arrays.
inline constexpr std::size_t kScoreCount = 7;
// The position of `score` in scoresFor(true) (allScores() first), for per-score arrays.
std::size_t scoreIndex(Score score);
std::string scoreName(Score score);  // "predictive entropy", ...
// The name as a command-line value: "predictive-entropy", "max-probability", ...
std::string scoreOptionName(Score score);
// The Score a command-line value names (scoreOptionName's spelling); nothing for another.
std::optional<Score> scoreFromOptionName(const std::string& name);
// The name with the part of the uncertainty the score measures, for pickers: "predictive entropy
// (total)", "expected entropy (aleatoric)", "mutual information (epistemic)"; others as named.
std::string scoreLabel(Score score);
double scoreValue(const ImageSummary& summary, Score score);
// Margin and max probability are confidences: a low value means an uncertain image.
bool higherIsMoreUncertain(Score score);
// scoreValue oriented so that larger always means more uncertain (for ranking).
double uncertaintyOf(const ImageSummary& summary, Score score);
// A value of `score` as a sort key, larger = more uncertain: oriented as uncertaintyOf, and a
// NaN (a variance head that overflowed) as the least uncertain of all, since compared as it is
// it breaks a sort's ordering. What the CLI's list and the window's Rank dock order by.
double rankingKey(double value, Score score);

}  // namespace ue
