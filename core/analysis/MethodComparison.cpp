#include "analysis/MethodComparison.h"

#include <utility>

#include "metrics/Scores.h"

namespace ue {

const std::vector<ComparisonScore>& allComparisonScores() {
    static const std::vector<ComparisonScore> scores = {ComparisonScore::PredictiveEntropy,
                                                        ComparisonScore::ExpectedEntropy,
                                                        ComparisonScore::MutualInformation,
                                                        ComparisonScore::MaxProbability,
                                                        ComparisonScore::Margin,
                                                        ComparisonScore::VariationRatio,
                                                        ComparisonScore::LogitVariance};
    return scores;
}

std::string comparisonScoreName(ComparisonScore score) {
    switch (score) {
        case ComparisonScore::PredictiveEntropy:
            return scoreLabel(Score::PredictiveEntropy);
        case ComparisonScore::ExpectedEntropy:
            return scoreLabel(Score::ExpectedEntropy);
        case ComparisonScore::MutualInformation:
            return scoreLabel(Score::MutualInformation);
        case ComparisonScore::MaxProbability:
            return scoreLabel(Score::MaxProbability);
        case ComparisonScore::Margin:
            return scoreLabel(Score::Margin);
        case ComparisonScore::VariationRatio:
            return scoreLabel(Score::VariationRatio);
        case ComparisonScore::LogitVariance:
            return "logit variance";  // heteroscedastic models only: not one of core's scores
    }
    return "";
}

double comparisonScoreValue(const ComparisonImage& image, ComparisonScore score) {
    switch (score) {
        case ComparisonScore::PredictiveEntropy:
            return image.predictiveEntropy;
        case ComparisonScore::ExpectedEntropy:
            return image.expectedEntropy;
        case ComparisonScore::MutualInformation:
            return image.mutualInformation;
        case ComparisonScore::MaxProbability:
            return image.maxProbability;
        case ComparisonScore::Margin:
            return image.margin;
        case ComparisonScore::VariationRatio:
            return image.variationRatio;
        case ComparisonScore::LogitVariance:
            return image.logitVariance;
    }
    return 0;
}

namespace {

ComparisonImage compact(std::size_t index, const ImageSummary& s, int label, bool out) {
    ComparisonImage image;
    image.index = index;
    image.outOfDistribution = out;
    image.label = label;
    image.prediction = s.argmaxPrediction;
    image.maxProbability = s.maxProbability;
    image.predictiveEntropy = s.predictiveEntropy;
    image.expectedEntropy = s.expectedEntropy;
    image.mutualInformation = s.mutualInformation;
    image.variationRatio = s.variationRatio;
    image.margin = s.margin;
    image.hasLogitVariance = s.hasLogitVariance;
    image.logitVariance = s.hasLogitVariance ? s.logitVariance : 0.0;
    return image;
}

}  // namespace

MethodAccumulator::MethodAccumulator(MethodSpec spec) : spec_(std::move(spec)) {}

void MethodAccumulator::add(std::size_t index, const ImageSummary& summary, int label) {
    images_.push_back(compact(index, summary, label, false));
    calibration_.add(summary, label);
    ood_.addIn(summary);
    hasLogitVariance_ = hasLogitVariance_ || summary.hasLogitVariance;
    samplesPerImage_ = summary.samples;
    ++inCount_;
}

void MethodAccumulator::addOut(std::size_t index, const ImageSummary& summary) {
    images_.push_back(compact(index, summary, kNoLabel, true));
    ood_.addOut(summary);
    samplesPerImage_ = summary.samples;
    ++outCount_;
}

void MethodAccumulator::addRun(double seconds, bool cancelled) {
    seconds_ += seconds;
    cancelled_ = cancelled_ || cancelled;
}

std::vector<double> MethodAccumulator::values(ComparisonScore score, bool outOfDistribution) const {
    std::vector<double> out;
    for (const ComparisonImage& image : images_) {
        if (image.outOfDistribution == outOfDistribution) {
            out.push_back(comparisonScoreValue(image, score));
        }
    }
    return out;
}

ComparisonRow MethodAccumulator::result() const {
    ComparisonRow row;
    row.label = spec_.label;
    row.model = spec_.model;
    row.description = description_.empty() ? describeMethod(spec_.options) : description_;
    row.samplesPerImage = samplesPerImage_;
    row.images = inCount_;
    row.outImages = outCount_;
    row.cancelled = cancelled_;
    const CalibrationReport calibration = calibration_.calibration(15);
    row.labelled = calibration.labelled;
    row.accuracy = calibration.accuracy;
    row.nll = calibration.nll;
    row.brier = calibration.brier;
    row.ece = calibration.eceEqualWidth;
    row.aurcMaxProbability = calibration_.riskCoverage(Score::MaxProbability).aurc;
    row.aurcEntropy = calibration_.riskCoverage(Score::PredictiveEntropy).aurc;
    row.hasOod = inCount_ > 0 && outCount_ > 0;
    if (row.hasOod) {
        row.oodAurocEntropy = detectOutOfDistribution(ood_.inValues(Score::PredictiveEntropy),
                                                      ood_.outValues(Score::PredictiveEntropy),
                                                      Score::PredictiveEntropy)
                                  .auroc;
        row.oodAurocMutualInformation =
            detectOutOfDistribution(ood_.inValues(Score::MutualInformation),
                                    ood_.outValues(Score::MutualInformation),
                                    Score::MutualInformation)
                .auroc;
    }
    row.hasLogitVariance = hasLogitVariance_;
    for (const ComparisonImage& image : images_) {
        if (!image.outOfDistribution) {
            row.meanPredictiveEntropy += image.predictiveEntropy;
            row.meanExpectedEntropy += image.expectedEntropy;
            row.meanMutualInformation += image.mutualInformation;
            row.meanLogitVariance += image.logitVariance;
        }
    }
    if (inCount_ > 0) {
        row.meanPredictiveEntropy /= double(inCount_);
        row.meanExpectedEntropy /= double(inCount_);
        row.meanMutualInformation /= double(inCount_);
        row.meanLogitVariance /= double(inCount_);
    }
    row.seconds = seconds_;
    row.imagesPerSecond = seconds_ > 0 ? double(inCount_ + outCount_) / seconds_ : 0.0;
    return row;
}

}  // namespace ue
