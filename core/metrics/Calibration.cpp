#include "metrics/Calibration.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "metrics/SetMetrics.h"

namespace ue {
namespace {

double expectedCalibrationError(const std::vector<ReliabilityBin>& bins, std::size_t n) {
    double ece = 0;
    for (const auto& bin : bins) {
        if (bin.count > 0) {
            ece += double(bin.count) / double(n) * std::abs(bin.accuracy - bin.meanConfidence);
        }
    }
    return ece;
}

}  // namespace

void CalibrationAccumulator::add(const ImageSummary& s, int label) {
    if (label < 0 || label >= s.classes) {
        return;
    }
    confidence_.push_back(s.maxProbability);
    correct_.push_back(s.argmaxPrediction == label);
    std::array<double, kScoreCount> values{};
    for (Score score : scoresFor(true)) {
        values[scoreIndex(score)] = uncertaintyOf(s, score);
    }
    scores_.push_back(values);
    nll_ += -std::log(std::max(double(s.mean[std::size_t(label)]), 1e-12));
    for (int c = 0; c < s.classes; ++c) {
        const double target = c == label ? 1.0 : 0.0;
        brier_ += (s.mean[std::size_t(c)] - target) * (s.mean[std::size_t(c)] - target);
    }
}

double CalibrationAccumulator::uncertainty(std::size_t i, Score score) const {
    return scores_[i][scoreIndex(score)];
}

CalibrationReport CalibrationAccumulator::calibration(int bins) const {
    CalibrationReport report;
    const std::size_t n = confidence_.size();
    report.labelled = n;
    bins = std::max(bins, 1);
    report.equalWidth.resize(std::size_t(bins));
    for (int b = 0; b < bins; ++b) {
        report.equalWidth[b].lower = double(b) / bins;
        report.equalWidth[b].upper = double(b + 1) / bins;
    }
    if (n == 0) {
        return report;
    }
    std::vector<double> confidenceSum(std::size_t(bins), 0.0), correctSum(std::size_t(bins), 0.0);
    std::size_t correct = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const int b = eceBinIndex(confidence_[i], bins);
        report.equalWidth[b].count++;
        confidenceSum[b] += confidence_[i];
        correctSum[b] += correct_[i] ? 1.0 : 0.0;
        correct += correct_[i] ? 1 : 0;
    }
    for (int b = 0; b < bins; ++b) {
        auto& bin = report.equalWidth[b];
        if (bin.count > 0) {
            bin.meanConfidence = confidenceSum[b] / bin.count;
            bin.accuracy = correctSum[b] / bin.count;
        }
    }

    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return confidence_[a] < confidence_[b]; });
    const std::size_t massBins = std::min<std::size_t>(std::size_t(bins), n);
    std::size_t first = 0;
    for (std::size_t b = 0; b < massBins; ++b) {
        const std::size_t size = n / massBins + (b < n % massBins ? 1 : 0);
        ReliabilityBin bin;
        bin.count = size;
        double confidence = 0, right = 0;
        for (std::size_t k = first; k < first + size; ++k) {
            confidence += confidence_[order[k]];
            right += correct_[order[k]] ? 1.0 : 0.0;
        }
        bin.lower = confidence_[order[first]];
        bin.upper = confidence_[order[first + size - 1]];
        bin.meanConfidence = confidence / size;
        bin.accuracy = right / size;
        report.equalMass.push_back(bin);
        first += size;
    }
    report.accuracy = double(correct) / n;
    report.nll = nll_ / n;
    report.brier = brier_ / n;
    report.eceEqualWidth = expectedCalibrationError(report.equalWidth, n);
    report.eceEqualMass = expectedCalibrationError(report.equalMass, n);
    return report;
}

RiskCoverageCurve CalibrationAccumulator::riskCoverage(Score score) const {
    RiskCoverageCurve curve;
    curve.score = score;
    const std::size_t n = confidence_.size();
    if (n == 0) {
        return curve;
    }
    const std::size_t slot = scoreIndex(score);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return scores_[a][slot] < scores_[b][slot];
    });
    std::size_t errors = 0;
    double area = 0;
    for (std::size_t k = 0; k < n; ++k) {
        errors += correct_[order[k]] ? 0 : 1;
        const double risk = double(errors) / double(k + 1);
        curve.coverage.push_back(double(k + 1) / double(n));
        curve.risk.push_back(risk);
        area += risk;
    }
    curve.aurc = area / double(n);
    // All errors last: risk 0 until the n - e correct ones are used up, then (k - (n-e)) / k.
    const std::size_t rightCount = n - errors;
    double best = 0;
    for (std::size_t k = rightCount + 1; k <= n; ++k) {
        best += double(k - rightCount) / double(k);
    }
    curve.optimalAurc = best / double(n);
    return curve;
}

std::vector<RiskCoverageCurve> CalibrationAccumulator::riskCoverageAllScores(
    const std::vector<Score>& scores) const {
    std::vector<RiskCoverageCurve> curves;
    for (Score score : scores) {
        curves.push_back(riskCoverage(score));
    }
    return curves;
}

}  // namespace ue
