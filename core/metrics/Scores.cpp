#include "metrics/Scores.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ue {

static_assert(kScoreCount == std::size_t(Score::LogitVariance) + 1, "kScoreCount: every Score");

const std::vector<Score>& allScores() {
    static const std::vector<Score> scores = {Score::PredictiveEntropy,
                                              Score::MutualInformation,
                                              Score::ExpectedEntropy,
                                              Score::VariationRatio,
                                              Score::Margin,
                                              Score::MaxProbability};
    return scores;
}

const std::vector<Score>& scoresFor(bool predictsLogitVariance) {
    static const std::vector<Score> withVariance = [] {
        std::vector<Score> scores = allScores();
        scores.push_back(Score::LogitVariance);
        return scores;
    }();
    return predictsLogitVariance ? withVariance : allScores();
}

std::size_t scoreIndex(Score score) {
    const auto& scores = scoresFor(true);
    return std::size_t(std::find(scores.begin(), scores.end(), score) - scores.begin());
}

std::string scoreName(Score score) {
    switch (score) {
        case Score::PredictiveEntropy:
            return "predictive entropy";
        case Score::MutualInformation:
            return "mutual information";
        case Score::ExpectedEntropy:
            return "expected entropy";
        case Score::VariationRatio:
            return "variation ratio";
        case Score::Margin:
            return "margin";
        case Score::MaxProbability:
            return "max probability";
        case Score::LogitVariance:
            return "logit variance";
    }
    return "";
}

std::string scoreOptionName(Score score) {
    std::string name = scoreName(score);
    std::replace(name.begin(), name.end(), ' ', '-');
    return name;
}

std::optional<Score> scoreFromOptionName(const std::string& name) {
    for (Score score : scoresFor(true)) {
        if (scoreOptionName(score) == name) {
            return score;
        }
    }
    return std::nullopt;
}

std::string scoreLabel(Score score) {
    switch (score) {
        case Score::PredictiveEntropy:
            return scoreName(score) + " (total)";
        case Score::ExpectedEntropy:
            return scoreName(score) + " (aleatoric)";
        case Score::MutualInformation:
            return scoreName(score) + " (epistemic)";
        case Score::LogitVariance:
            return scoreName(score) + " (aleatoric)";
        default:
            return scoreName(score);
    }
}

double scoreValue(const ImageSummary& s, Score score) {
    switch (score) {
        case Score::PredictiveEntropy:
            return s.predictiveEntropy;
        case Score::MutualInformation:
            return s.mutualInformation;
        case Score::ExpectedEntropy:
            return s.expectedEntropy;
        case Score::VariationRatio:
            return s.variationRatio;
        case Score::Margin:
            return s.margin;
        case Score::MaxProbability:
            return s.maxProbability;
        case Score::LogitVariance:
            return s.logitVariance;
    }
    return 0.0;
}

bool higherIsMoreUncertain(Score score) {
    return score != Score::Margin && score != Score::MaxProbability;
}

double rankingKey(double value, Score score) {
    if (std::isnan(value)) {
        return -std::numeric_limits<double>::infinity();
    }
    return higherIsMoreUncertain(score) ? value : -value;
}

double uncertaintyOf(const ImageSummary& s, Score score) {
    const double value = scoreValue(s, score);
    return higherIsMoreUncertain(score) ? value : -value;
}

}  // namespace ue
