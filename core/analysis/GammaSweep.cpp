#include "analysis/GammaSweep.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "io/CsvWriter.h"

namespace ue {
namespace {

// Relative distance under which two γ values are the same point of the curve.
constexpr double kSameGamma = 1e-6;

std::vector<double> sortedUnique(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    std::vector<double> unique;
    for (double v : values) {
        if (unique.empty() || v - unique.back() > kSameGamma * v) {
            unique.push_back(v);
        }
    }
    return unique;
}

}  // namespace

std::vector<double> gammaGrid(double minGamma, double maxGamma, int steps) {
    if (!(minGamma > 0) || !(maxGamma >= minGamma) || !std::isfinite(maxGamma)) {
        throw std::invalid_argument("gamma range must satisfy 0 < min <= max");
    }
    if (steps < 1) {
        throw std::invalid_argument("gamma steps must be at least 1");
    }
    std::vector<double> values;
    if (steps == 1 || maxGamma == minGamma) {
        values.push_back(minGamma);
    } else {
        const double logMin = std::log(minGamma);
        const double logStep = (std::log(maxGamma) - logMin) / (steps - 1);
        for (int i = 0; i < steps; ++i) {
            values.push_back(i == steps - 1 ? maxGamma : std::exp(logMin + i * logStep));
        }
    }
    for (double reference : {0.5, 1.0, 2.0}) {
        if (reference >= minGamma && reference <= maxGamma) {
            values.push_back(reference);
        }
    }
    return sortedUnique(values);
}

std::vector<double> parseGammaList(const std::string& text) {
    std::vector<double> values;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ',')) {
        std::size_t used = 0;
        double value = 0;
        try {
            value = std::stod(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        while (used < item.size() && item[used] == ' ') {
            ++used;
        }
        if (used == 0 || used != item.size() || !(value > 0) || !std::isfinite(value)) {
            throw std::invalid_argument("\"" + item + "\" is not a positive gamma value");
        }
        values.push_back(value);
    }
    if (values.empty()) {
        throw std::invalid_argument("no gamma values given");
    }
    return sortedUnique(values);
}

GammaSweepAccumulator::GammaSweepAccumulator(std::vector<double> gammas,
                                             std::vector<float> thresholds)
    : gammas_(std::move(gammas)), perGamma_(gammas_.size()) {
    for (auto& accumulator : perGamma_) {
        accumulator.setThresholds(thresholds);
    }
}

void GammaSweepAccumulator::add(const GammaResult& r) {
    if (r.result.ok) {
        add(r.gammaIndex, r.result.summary, r.result.label);
    }
}

void GammaSweepAccumulator::add(std::size_t gammaIndex, const ImageSummary& summary, int label) {
    if (gammaIndex < perGamma_.size()) {
        perGamma_[gammaIndex].add(summary, label);
    }
}

std::vector<GammaPoint> GammaSweepAccumulator::result() const {
    std::vector<GammaPoint> points;
    for (std::size_t g = 0; g < gammas_.size(); ++g) {
        points.push_back({gammas_[g], perGamma_[g].result()});
    }
    return points;
}

void writeGammaSweepCsv(const std::vector<GammaPoint>& points, std::ostream& out) {
    CsvWriter csv(out);
    csv.header({"gamma", "images", "labelled", "accuracy", "median_rule_coverage",
                "median_rule_covered_accuracy", "threshold_rule_coverage",
                "threshold_rule_covered_accuracy", "nll", "brier", "ece", "mean_predictive_entropy",
                "mean_expected_entropy", "mean_mutual_information", "mean_variation_ratio",
                "mean_margin"});
    for (const auto& point : points) {
        const SetMetrics& m = point.metrics;
        const bool labelled = m.labelled > 0;
        const auto rate = [&](bool known, double value) -> CsvWriter& {
            return known ? csv.number(value) : csv.empty();
        };
        csv.number(point.gamma).integer((long long)m.images).integer((long long)m.labelled);
        rate(labelled, m.accuracy);
        // An accuracy over no covered image does not exist: empty, not 0 (at an extreme γ the
        // median rule may leave every image unclassified).
        rate(labelled, m.medianRuleCoverage);
        rate(labelled && m.medianRuleCoverage > 0, m.medianRuleCoveredAccuracy);
        rate(labelled && m.hasThresholdRule, m.thresholdRuleCoverage);
        rate(labelled && m.hasThresholdRule && m.thresholdRuleCoverage > 0,
             m.thresholdRuleCoveredAccuracy);
        rate(labelled, m.nll);
        rate(labelled, m.brier);
        rate(labelled, m.ece);
        csv.number(m.meanPredictiveEntropy)
            .number(m.meanExpectedEntropy)
            .number(m.meanMutualInformation)
            .number(m.meanVariationRatio)
            .number(m.meanMargin)
            .endRow();
    }
}

}  // namespace ue
