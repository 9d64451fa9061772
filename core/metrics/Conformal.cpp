#include "metrics/Conformal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "Error.h"

namespace ue {
namespace {

// Class indices by probability, highest first; ties keep the lower index first.
std::vector<int> byProbability(const std::vector<float>& probabilities) {
    std::vector<int> order(probabilities.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return probabilities[a] > probabilities[b]; });
    return order;
}

}  // namespace

std::string toString(ConformalMethod method) {
    return method == ConformalMethod::Lac ? "lac" : "aps";
}

ConformalMethod conformalMethodFromString(const std::string& name) {
    if (name == "lac") {
        return ConformalMethod::Lac;
    }
    if (name == "aps") {
        return ConformalMethod::Aps;
    }
    throw Error("unknown conformal method '" + name + "' (expected lac or aps)");
}

double conformalScore(ConformalMethod method, const std::vector<float>& probabilities, int label) {
    if (method == ConformalMethod::Lac) {
        return 1.0 - double(probabilities[std::size_t(label)]);
    }
    double mass = 0;
    for (int cls : byProbability(probabilities)) {
        mass += probabilities[std::size_t(cls)];
        if (cls == label) {
            break;
        }
    }
    return mass;
}

std::vector<int> predictionSet(ConformalMethod method, const std::vector<float>& probabilities,
                               double qhat) {
    std::vector<int> set;
    double mass = 0;
    for (int cls : byProbability(probabilities)) {
        const double p = probabilities[std::size_t(cls)];
        mass += p;
        const double score = method == ConformalMethod::Lac ? 1.0 - p : mass;
        if (score <= qhat) {
            set.push_back(cls);
        } else if (method == ConformalMethod::Aps) {
            break;  // the cumulative mass only grows down the ranking
        }
    }
    return set;
}

void ConformalCalibrator::add(const std::vector<float>& probabilities, int label) {
    if (label < 0 || std::size_t(label) >= probabilities.size()) {
        return;
    }
    scores_.push_back(conformalScore(method_, probabilities, label));
}

double ConformalCalibrator::qhat(double alpha) const {
    const std::size_t n = scores_.size();
    const double rank = std::ceil(double(n + 1) * (1.0 - alpha));
    if (n == 0 || rank > double(n)) {
        return std::numeric_limits<double>::infinity();
    }
    std::vector<double> sorted = scores_;
    const std::size_t k = std::size_t(std::max(rank, 1.0)) - 1;  // 0-based
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(k), sorted.end());
    return sorted[k];
}

void ConformalEvaluator::add(const std::vector<int>& set, int label) {
    ++images_;
    ++sizeCounts_[std::min(set.size(), sizeCounts_.size() - 1)];
    if (label >= 0) {
        ++labelled_;
        covered_ += std::find(set.begin(), set.end(), label) != set.end();
    }
}

double ConformalEvaluator::meanSetSize() const {
    std::size_t total = 0;
    for (std::size_t size = 0; size < sizeCounts_.size(); ++size) {
        total += size * sizeCounts_[size];
    }
    return images_ ? double(total) / double(images_) : 0.0;
}

}  // namespace ue
