#pragma once
#include <string>
#include <vector>

#include "metrics/ImageSummary.h"

namespace ue {

// summarizeSamples for a whole batch as tensor operations on a device ("cpu", "cuda:0"):
// `probabilities` holds images x samples x classes floats. A GPU run summarises where its
// probabilities are, so fixed-size summaries cross to the host instead of every sample and the
// host does not become the bottleneck (at T = 100 a CPU summary costs as much as a GPU's whole
// forward pass for a small model). Same definitions as summarizeSamples: entropies in double,
// moments and quantiles in float, so the values agree with it to float rounding. An image whose
// samples are not all finite gets `finite[i] = false` and an empty summary. The host part
// (filling the summaries) runs on up to `threads` threads.
std::vector<ImageSummary> summarizeOnDevice(const float* probabilities, int images, int samples,
                                            int classes, const SummaryOptions& options,
                                            const std::string& device, std::vector<bool>& finite,
                                            int threads = 1);

}  // namespace ue
