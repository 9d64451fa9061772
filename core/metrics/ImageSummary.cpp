#include "metrics/ImageSummary.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ue {

namespace {

template <class Value>
double quantileOfSorted(const std::vector<Value>& sorted, double q) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(lower);
    return sorted[lower] + (static_cast<double>(sorted[upper]) - sorted[lower]) * fraction;
}

template <class Value>
double entropyOf(const Value* p, int classes) {
    double h = 0.0;
    for (int c = 0; c < classes; ++c) {
        const double v = p[c];
        if (v > 0.0) {
            h -= v * std::log(v);
        }
    }
    return h;
}

}  // namespace

double entropy(const float* p, int classes) {
    return entropyOf(p, classes);
}

double entropy(const double* p, int classes) {
    return entropyOf(p, classes);
}

double quantileSorted(const std::vector<float>& sorted, double q) {
    return quantileOfSorted(sorted, q);
}

double quantileSorted(const std::vector<double>& sorted, double q) {
    return quantileOfSorted(sorted, q);
}

int argmax(const std::vector<float>& values) {
    return static_cast<int>(std::max_element(values.begin(), values.end()) - values.begin());
}

int medianRule(const std::vector<float>& medians) {
    const int best = argmax(medians);
    if (!(medians[best] > 0.5f)) {
        return kUnclassified;
    }
    for (std::size_t c = 0; c < medians.size(); ++c) {
        if (static_cast<int>(c) != best && !(medians[best] > medians[c])) {
            return kUnclassified;
        }
    }
    return best;
}

ImageSummary summarizeSamples(const float* probs, int samples, int classes,
                              const SummaryOptions& options) {
    if (samples < 1 || classes < 1 || options.histogramBins < 1) {
        throw std::invalid_argument("summarizeSamples: needs at least one pass, class and bin");
    }
    ImageSummary s;
    s.samples = samples;
    s.classes = classes;
    s.histogramBins = options.histogramBins;
    const auto C = static_cast<std::size_t>(classes);
    s.mean.assign(C, 0.f);
    s.median.resize(C);
    s.stddev.resize(C);
    s.q10.resize(C);
    s.q25.resize(C);
    s.q75.resize(C);
    s.q90.resize(C);
    s.histograms.assign(C * options.histogramBins, 0);

    std::vector<int> votes(C, 0);
    double expectedEntropy = 0.0;
    std::vector<float> column(samples);
    std::vector<double> mean(C);  // p̄ in double: the entropies below are taken of it
    for (int c = 0; c < classes; ++c) {
        double sum = 0.0;
        for (int t = 0; t < samples; ++t) {
            const float p = probs[std::size_t(t) * C + c];
            column[t] = p;
            sum += p;
            const float clamped = std::min(std::max(p, 0.f), 1.f);
            const int bin =
                std::min(int(clamped * options.histogramBins), options.histogramBins - 1);
            ++s.histograms[std::size_t(c) * options.histogramBins + bin];
        }
        mean[c] = sum / samples;
        double squares = 0.0;
        for (float p : column) {
            squares += (p - mean[c]) * (p - mean[c]);
        }
        s.mean[c] = static_cast<float>(mean[c]);
        s.stddev[c] = static_cast<float>(std::sqrt(squares / samples));
        std::sort(column.begin(), column.end());
        s.median[c] = static_cast<float>(quantileSorted(column, 0.5));
        s.q10[c] = static_cast<float>(quantileSorted(column, 0.10));
        s.q25[c] = static_cast<float>(quantileSorted(column, 0.25));
        s.q75[c] = static_cast<float>(quantileSorted(column, 0.75));
        s.q90[c] = static_cast<float>(quantileSorted(column, 0.90));
    }
    double variance = 0.0;
    for (std::size_t c = 0; c < C; ++c) {
        variance += double(s.stddev[c]) * s.stddev[c];
    }
    s.probabilityVariance = variance / classes;
    double divergence = 0.0;
    for (int t = 0; t < samples; ++t) {
        const float* row = probs + std::size_t(t) * C;
        expectedEntropy += entropy(row, classes);
        ++votes[std::max_element(row, row + C) - row];
        // Mutual information as E_t KL(p_t || p̄), not H[p̄] - E[H]: the two are equal, but the
        // divergence has no cancellation and is never negative.
        for (std::size_t c = 0; c < C; ++c) {
            if (row[c] > 0.f && mean[c] > 0.0) {
                divergence += row[c] * std::log(row[c] / mean[c]);
            }
        }
    }

    s.expectedEntropy = expectedEntropy / samples;
    s.predictiveEntropy = entropy(mean.data(), classes);
    s.mutualInformation = std::max(0.0, divergence / samples);
    s.variationRatio = 1.0 - double(*std::max_element(votes.begin(), votes.end())) / samples;

    fillPredictions(s);
    return s;
}

void fillPredictions(ImageSummary& s) {
    s.argmaxPrediction = argmax(s.mean);
    std::vector<float> sortedMean = s.mean;
    std::sort(sortedMean.begin(), sortedMean.end(), std::greater<float>());
    s.maxProbability = sortedMean[0];
    s.margin = sortedMean.size() > 1 ? double(sortedMean[0]) - sortedMean[1] : sortedMean[0];
    s.medianRulePrediction = medianRule(s.median);
}

}  // namespace ue
