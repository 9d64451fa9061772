#pragma once
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "metrics/ImageSummary.h"
#include "metrics/Thresholds.h"

namespace ue {

// What a threshold rule does to one group of labelled images: accuracy of the plain argmax
// before, and after, the share the rule still classifies (coverage) and its accuracy there.
struct ThresholdOutcome {
    std::size_t images = 0;          // labelled images in the group
    std::size_t correct = 0;         // argmax equals the label
    std::size_t covered = 0;         // the rule classifies them
    std::size_t coveredCorrect = 0;  // ... and rightly
    double accuracyBefore() const { return images ? double(correct) / double(images) : 0.0; }
    double coverage() const { return images ? double(covered) / double(images) : 0.0; }
    // Accuracy on the covered images (0 when the rule covers none).
    double accuracyAfter() const {
        return covered ? double(coveredCorrect) / double(covered) : 0.0;
    }
};

// The rule's effect per true class and over the whole set.
struct ThresholdStudy {
    std::vector<ThresholdOutcome> perClass;
    ThresholdOutcome overall;
};

// Holds the labelled test images compactly (label, argmax, its mean probability) so a study
// can be re-evaluated for any thresholds instantly, as a slider moves.
class ThresholdEvaluator {
  public:
    explicit ThresholdEvaluator(std::size_t classes = 0) : classes_(classes) {}
    // Unlabelled images (label outside the classes) are ignored.
    void add(const ImageSummary& summary, int label);
    std::size_t labelled() const { return entries_.size(); }
    ThresholdStudy evaluate(const std::vector<float>& thresholds) const;

  private:
    struct Entry {
        int label;
        int predicted;
        float probability;  // mean probability of the predicted class
    };
    std::size_t classes_;
    std::vector<Entry> entries_;
};

// One row per class then "all": thresholds, validation support, and the outcome columns.
void writeThresholdStudyCsv(std::ostream& out, const ThresholdStudy& study,
                            const std::vector<std::string>& classes,
                            const std::vector<float>& thresholds,
                            const std::vector<std::size_t>& support);

// The study as a text table (what `analyze --thresholds` prints).
std::string formatThresholdStudy(const ThresholdStudy& study,
                                 const std::vector<std::string>& classes,
                                 const ClassThresholds& thresholds);

}  // namespace ue
