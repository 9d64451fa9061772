#include "metrics/ThresholdStudy.h"

#include <cstdio>
#include <ostream>

#include "io/CsvWriter.h"
#include "io/PercentCell.h"

namespace ue {

void ThresholdEvaluator::add(const ImageSummary& summary, int label) {
    if (label < 0 || std::size_t(label) >= classes_ || summary.argmaxPrediction < 0 ||
        std::size_t(summary.argmaxPrediction) >= summary.mean.size()) {
        return;
    }
    entries_.push_back({label, summary.argmaxPrediction, summary.mean[summary.argmaxPrediction]});
}

ThresholdStudy ThresholdEvaluator::evaluate(const std::vector<float>& thresholds) const {
    ThresholdStudy study;
    study.perClass.resize(classes_);
    for (const Entry& entry : entries_) {
        // The same comparison as thresholdRule(); no threshold for a class means no rejection.
        const bool covered = std::size_t(entry.predicted) >= thresholds.size() ||
                             entry.probability >= thresholds[std::size_t(entry.predicted)];
        const bool correct = entry.predicted == entry.label;
        for (ThresholdOutcome* outcome :
             {&study.perClass[std::size_t(entry.label)], &study.overall}) {
            ++outcome->images;
            outcome->correct += correct;
            outcome->covered += covered;
            outcome->coveredCorrect += covered && correct;
        }
    }
    return study;
}

void writeThresholdStudyCsv(std::ostream& out, const ThresholdStudy& study,
                            const std::vector<std::string>& classes,
                            const std::vector<float>& thresholds,
                            const std::vector<std::size_t>& support) {
    CsvWriter csv(out);
    csv.header({"class", "threshold", "val_support", "images", "accuracy_before", "coverage",
                "accuracy_after", "unclassified"});
    for (std::size_t c = 0; c < study.perClass.size(); ++c) {
        const ThresholdOutcome& o = study.perClass[c];
        csv.text(c < classes.size() ? classes[c] : std::to_string(c))
            .number(c < thresholds.size() ? thresholds[c] : 0.0)
            .integer((long long)(c < support.size() ? support[c] : 0))
            .integer((long long)o.images)
            .number(o.accuracyBefore())
            .number(o.coverage())
            .number(o.accuracyAfter())
            .integer((long long)(o.images - o.covered))
            .endRow();
    }
    const ThresholdOutcome& all = study.overall;
    csv.text("all")
        .empty()
        .empty()
        .integer((long long)all.images)
        .number(all.accuracyBefore())
        .number(all.coverage())
        .number(all.accuracyAfter())
        .integer((long long)(all.images - all.covered))
        .endRow();
}

std::string formatThresholdStudy(const ThresholdStudy& study,
                                 const std::vector<std::string>& classes,
                                 const ClassThresholds& thresholds) {
    std::string text;
    char line[160];
    std::snprintf(line, sizeof line,
                  "Threshold rule (q = %g): accuracy and coverage before -> after\n",
                  thresholds.percentile);
    text += line;
    std::snprintf(line, sizeof line, "  %-14s %9s %7s %9s %9s %9s\n", "class", "threshold",
                  "images", "acc", "coverage", "acc after");
    text += line;
    // A rate over no image does not exist: "-" (a class with no test image, a rule that
    // covers none), not 0.0%.
    const auto rate = [](double fraction, std::size_t denominator) {
        return percentCell(denominator > 0, fraction, 9, 1);
    };
    auto add = [&](const std::string& name, const std::string& threshold,
                   const ThresholdOutcome& o) {
        std::snprintf(line, sizeof line, "  %-14.14s %9s %7zu %s %s %s\n", name.c_str(),
                      threshold.c_str(), o.images, rate(o.accuracyBefore(), o.images).c_str(),
                      rate(o.coverage(), o.images).c_str(),
                      rate(o.accuracyAfter(), o.covered).c_str());
        text += line;
    };
    for (std::size_t c = 0; c < study.perClass.size(); ++c) {
        char threshold[32] = "";
        if (c < thresholds.thresholds.size()) {
            std::snprintf(threshold, sizeof threshold, "%.4f", thresholds.thresholds[c]);
        }
        add(c < classes.size() ? classes[c] : std::to_string(c), threshold, study.perClass[c]);
    }
    add("all", "", study.overall);
    return text;
}

}  // namespace ue
