#pragma once
#include <vector>

#include "engine/McEngine.h"

namespace ue::ui {

// What one augmented copy says, averaged over its T passes.
struct CopyOutcome {
    int predicted = 0;                 // argmax of the copy's mean probabilities
    double predictedProbability = 0;   // its probability
    double referenceProbability = 0;   // probability of the image's overall prediction
    double trueClassProbability = -1;  // of the labelled class; -1 when unlabelled
};

// Per-copy outcomes from a result's raw samples, laid out copies x T x classes (copy-major, as
// the engine delivers them). Empty when the result kept no raw samples or they do not split
// into `copies` equal parts.
std::vector<CopyOutcome> copyOutcomes(const ImageResult& result, int copies);

// Copies whose own prediction is not the image's overall one.
int countDisagreeing(const std::vector<CopyOutcome>& outcomes, int overallPrediction);

}  // namespace ue::ui
