#include "io/ResultsCsv.h"

#include <algorithm>

#include "metrics/Thresholds.h"

namespace ue {

std::vector<std::string> ResultsCsv::columns(const std::vector<std::string>& classes) {
    std::vector<std::string> names = {"path",
                                      "label",
                                      "status",
                                      "error",
                                      "samples",
                                      "pred_argmax",
                                      "pred_median_rule",
                                      "pred_threshold_rule",
                                      "correct_argmax",
                                      "max_prob",
                                      "margin",
                                      "predictive_entropy",
                                      "expected_entropy",
                                      "mutual_information",
                                      "variation_ratio",
                                      "probability_variance",
                                      "logit_variance"};
    for (const auto& name : classes) {
        names.push_back("mean_" + name);
    }
    return names;
}

ResultsCsv::ResultsCsv(std::ostream& out, std::vector<std::string> classes,
                       std::vector<float> thresholds, std::string keyColumn)
    : csv_(out),
      classes_(std::move(classes)),
      thresholds_(std::move(thresholds)),
      keyColumn_(std::move(keyColumn)) {
    auto names = columns(classes_);
    if (!keyColumn_.empty()) {
        names.insert(names.begin() + 2, keyColumn_);
    }
    columnCount_ = names.size();
    csv_.header(names);
}

std::string ResultsCsv::className(int index) const {
    if (index == kUnclassified) {
        return "unclassified";
    }
    return index >= 0 && std::size_t(index) < classes_.size() ? classes_[index] : std::string();
}

void ResultsCsv::write(const ImageResult& result, double key) {
    csv_.text(result.path).text(result.label == kNoLabel ? "" : className(result.label));
    if (!keyColumn_.empty()) {
        csv_.number(key);
    }
    if (!result.ok) {
        csv_.text("error").text(result.error);
        const std::size_t written = keyColumn_.empty() ? 4 : 5;
        for (std::size_t i = written; i < columnCount_; ++i) {
            csv_.empty();
        }
        csv_.endRow();
        return;
    }
    const ImageSummary& s = result.summary;
    csv_.text("ok").empty().integer(s.samples);
    csv_.text(className(s.argmaxPrediction)).text(className(s.medianRulePrediction));
    if (thresholds_.empty()) {
        csv_.empty();
    } else {
        csv_.text(className(thresholdRule(s, thresholds_)));
    }
    if (result.label == kNoLabel) {
        csv_.empty();
    } else {
        csv_.integer(s.argmaxPrediction == result.label ? 1 : 0);
    }
    csv_.number(s.maxProbability)
        .number(s.margin)
        .number(s.predictiveEntropy)
        .number(s.expectedEntropy)
        .number(s.mutualInformation)
        .number(s.variationRatio)
        .number(s.probabilityVariance);
    if (s.hasLogitVariance) {
        csv_.number(s.logitVariance);
    } else {
        csv_.empty();
    }
    for (float mean : s.mean) {
        csv_.number(mean);
    }
    csv_.endRow();
}

RawSamplesCsv::RawSamplesCsv(std::ostream& out, const std::vector<std::string>& classes,
                             SampleAxes axes)
    : csv_(out), classes_(classes.size()), axes_(axes) {
    axes_.copies = std::max(axes_.copies, 1);
    axes_.members = std::max(axes_.members, 1);
    std::vector<std::string> names = {"path"};
    if (axes_.copies > 1) {
        names.push_back("copy");
    }
    if (axes_.members > 1) {
        names.push_back("member");
    }
    names.push_back("pass");
    for (const auto& name : classes) {
        names.push_back("p_" + name);
    }
    csv_.header(names);
}

void RawSamplesCsv::write(const ImageResult& result) {
    if (!result.ok || classes_ == 0) {
        return;
    }
    const std::size_t samples = result.rawSamples.size() / classes_;
    const std::size_t members = std::size_t(axes_.members);
    const std::size_t passes =
        std::max<std::size_t>(samples / (members * std::size_t(axes_.copies)), 1);
    for (std::size_t t = 0; t < samples; ++t) {
        // Copy-major, then member and pass, as the engine delivers them.
        csv_.text(result.path);
        if (axes_.copies > 1) {
            csv_.integer(static_cast<long long>(t / (passes * members)));
        }
        if (members > 1) {
            csv_.integer(static_cast<long long>(t / passes % members));
        }
        csv_.integer(static_cast<long long>(t % passes));
        for (std::size_t c = 0; c < classes_; ++c) {
            csv_.number(result.rawSamples[t * classes_ + c]);
        }
        csv_.endRow();
    }
}

}  // namespace ue
