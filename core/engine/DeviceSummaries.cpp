#include "engine/DeviceSummaries.h"

#include "engine/BatchRunner.h"

#include <array>
#include <cmath>

#include "engine/ParallelFor.h"

namespace ue {
namespace {

constexpr std::array<double, 5> kQuantiles = {0.10, 0.25, 0.50, 0.75, 0.90};

// numpy's linear interpolation between order statistics, over dimension 1 of `sorted`.
torch::Tensor quantileOfSorted(const torch::Tensor& sorted, double q) {
    const int64_t samples = sorted.size(1);
    const double position = q * double(samples - 1);
    const auto lower = static_cast<int64_t>(std::floor(position));
    const int64_t upper = std::min(lower + 1, samples - 1);
    const double fraction = position - double(lower);
    const auto low = sorted.select(1, lower);
    return low + (sorted.select(1, upper) - low) * fraction;
}

std::vector<float> row(const float* data, int64_t count) {
    return std::vector<float>(data, data + count);
}

}  // namespace

std::vector<ImageSummary> summarizeOnDevice(const torch::Tensor& probabilities,
                                            const SummaryOptions& options,
                                            std::vector<bool>& finite, int threads) {
    const int64_t images = probabilities.size(0);
    const int64_t samples = probabilities.size(1);
    const int64_t classes = probabilities.size(2);
    const int64_t bins = options.histogramBins;
    const auto& p = probabilities;

    // Per class: mean, stddev, five quantiles -> [images, 7, classes] floats.
    const auto mean = p.mean(1);
    const auto variance = (p - mean.unsqueeze(1)).square().mean(1);
    const auto sorted = std::get<0>(p.sort(1));
    std::vector<torch::Tensor> perClass = {mean, variance.sqrt()};
    for (double q : kQuantiles) {
        perClass.push_back(quantileOfSorted(sorted, q));
    }
    const auto classStats = torch::stack(perClass, 1).to(torch::kFloat32);

    // Histograms: each sample's bin on [0,1], counted per class -> [images, classes, bins].
    // (NaN would index out of range; such images are dropped below, so any bin will do.)
    const auto bin = (p.nan_to_num(0.0, 1.0, 0.0).clamp(0, 1) * double(bins))
                         .floor()
                         .clamp_max(double(bins - 1))
                         .to(torch::kLong);
    auto histograms = torch::zeros({images, classes, bins}, p.options().dtype(torch::kInt32));
    histograms.scatter_add_(2, bin.transpose(1, 2),
                            torch::ones({images, classes, samples}, histograms.options()));

    // Entropies in double: H[p̄], E H[p_t], MI as E KL(p_t || p̄), as summarizeSamples does.
    const auto pd = p.to(torch::kFloat64);
    const auto meanD = pd.mean(1);
    const auto plogp = at::xlogy(pd, pd);
    const auto predictive = -at::xlogy(meanD, meanD).sum(-1);
    const auto expected = -plogp.sum(-1).mean(1);
    const auto divergence =
        (plogp - at::xlogy(pd, meanD.unsqueeze(1))).sum(-1).mean(1).clamp_min(0);
    // Variation ratio: 1 - (samples voting for the modal class) / samples.
    const auto votes =
        torch::zeros({images, classes}, p.options().dtype(torch::kInt32))
            .scatter_add_(1, p.argmax(2),
                          torch::ones({images, samples}, p.options().dtype(torch::kInt32)));
    const auto modal = std::get<0>(votes.max(1)).to(torch::kFloat64);
    const auto allFinite = torch::isfinite(p).flatten(1).all(1).to(torch::kFloat64);
    const std::vector<torch::Tensor> perImage = {predictive,
                                                 expected,
                                                 divergence,
                                                 1.0 - modal / double(samples),
                                                 variance.to(torch::kFloat64).mean(1),
                                                 allFinite};
    const auto scalars = torch::stack(perImage, 1);

    const auto hostStats = classStats.to(torch::kCPU).contiguous();
    const auto hostHistograms = histograms.to(torch::kCPU).contiguous();
    const auto hostScalars = scalars.to(torch::kCPU).contiguous();
    const float* stats = hostStats.data_ptr<float>();
    const std::int32_t* counts = hostHistograms.data_ptr<std::int32_t>();
    const double* values = hostScalars.data_ptr<double>();

    std::vector<ImageSummary> summaries(static_cast<std::size_t>(images));
    finite.assign(summaries.size(), false);
    // Thousands of images per batch, a few vectors each: in parallel, or this host loop would
    // cost more than the GPU's work.
    std::vector<char> usable(summaries.size(), 0);
    parallelFor(summaries.size(), threads, 64, [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i) {
            const double* scalar = values + i * 6;
            if (!(scalar[5] > 0.5)) {
                continue;
            }
            usable[i] = 1;
            ImageSummary& s = summaries[i];
            s.samples = static_cast<int>(samples);
            s.classes = static_cast<int>(classes);
            s.histogramBins = static_cast<int>(bins);
            const float* stat = stats + i * 7 * classes;
            s.mean = row(stat, classes);
            s.stddev = row(stat + classes, classes);
            s.q10 = row(stat + 2 * classes, classes);
            s.q25 = row(stat + 3 * classes, classes);
            s.median = row(stat + 4 * classes, classes);
            s.q75 = row(stat + 5 * classes, classes);
            s.q90 = row(stat + 6 * classes, classes);
            const std::int32_t* count = counts + i * classes * bins;
            s.histograms.assign(count, count + classes * bins);
            s.predictiveEntropy = scalar[0];
            s.expectedEntropy = scalar[1];
            s.mutualInformation = scalar[2];
            s.variationRatio = scalar[3];
            s.probabilityVariance = scalar[4];
            fillPredictions(s);
        }
    });
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        finite[i] = usable[i] != 0;
    }
    return summaries;
}

std::vector<ImageSummary> summarizeOnDevice(const float* probabilities, int images, int samples,
                                            int classes, const SummaryOptions& options,
                                            const std::string& device, std::vector<bool>& finite,
                                            int threads) {
    torch::InferenceMode guard;
    const auto host = torch::from_blob(const_cast<float*>(probabilities),
                                       {images, samples, classes}, torch::kFloat32);
    return summarizeOnDevice(host.to(torch::Device(device)), options, finite, threads);
}

}  // namespace ue
