#include "model/CopyOutcomes.h"

#include <algorithm>

namespace ue::ui {

std::vector<CopyOutcome> copyOutcomes(const ImageResult& result, int copies) {
    const int classes = result.summary.classes;
    if (!result.ok || copies < 1 || classes < 1 || result.rawSamples.empty() ||
        result.rawSamples.size() % (std::size_t(copies) * classes) != 0) {
        return {};
    }
    const std::size_t passes = result.rawSamples.size() / (std::size_t(copies) * classes);
    const int reference = result.summary.argmaxPrediction;
    std::vector<CopyOutcome> outcomes(static_cast<std::size_t>(copies));
    std::vector<float> mean(static_cast<std::size_t>(classes));
    for (int copy = 0; copy < copies; ++copy) {
        std::fill(mean.begin(), mean.end(), 0.0f);
        const float* rows = result.rawSamples.data() + std::size_t(copy) * passes * classes;
        for (std::size_t pass = 0; pass < passes; ++pass) {
            for (int c = 0; c < classes; ++c) {
                mean[c] += rows[pass * classes + c] / float(passes);
            }
        }
        CopyOutcome& outcome = outcomes[std::size_t(copy)];
        outcome.predicted = int(std::max_element(mean.begin(), mean.end()) - mean.begin());
        outcome.predictedProbability = mean[outcome.predicted];
        outcome.referenceProbability = mean[reference];
        if (result.label >= 0 && result.label < classes) {
            outcome.trueClassProbability = mean[result.label];
        }
    }
    return outcomes;
}

int countDisagreeing(const std::vector<CopyOutcome>& outcomes, int overallPrediction) {
    return int(std::count_if(outcomes.begin(), outcomes.end(), [&](const CopyOutcome& o) {
        return o.predicted != overallPrediction;
    }));
}

}  // namespace ue::ui
