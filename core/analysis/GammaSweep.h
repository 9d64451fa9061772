#pragma once
#include <atomic>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "data/FolderScan.h"
#include "engine/McEngine.h"
#include "metrics/SetMetrics.h"

namespace ue {

// The γ values of a sweep: `steps` log-spaced values from `minGamma` to `maxGamma`, plus 0.5,
// 1.0 and 2.0 whenever they lie in the range (the reference points people compare against),
// ascending, without near-duplicates. Throws std::invalid_argument for a range that is not
// 0 < min <= max, or steps < 1.
std::vector<double> gammaGrid(double minGamma = 0.2, double maxGamma = 3.0, int steps = 9);

// Parses "0.5,1,2" (a user's own list); ascending, duplicates removed. Throws
// std::invalid_argument for a value that is not a positive number.
std::vector<double> parseGammaList(const std::string& text);

// One image of the sweep at one γ.
struct GammaResult {
    std::size_t imageIndex = 0;
    std::size_t gammaIndex = 0;
    double gamma = 1.0;
    ImageResult result;  // result.index is imageIndex
};

// Set-level numbers at one γ: every SetMetrics field (accuracy, each rule's coverage and
// covered accuracy, NLL, Brier, ECE, mean of every score) over the images at that γ.
struct GammaPoint {
    double gamma = 1.0;
    SetMetrics metrics;
};

class GammaSweepAccumulator {
  public:
    explicit GammaSweepAccumulator(std::vector<double> gammas, std::vector<float> thresholds = {});
    void add(const GammaResult& result);  // failed results are counted by the caller
    // One image's summary at the γ of that index, for a caller that keeps the summaries and
    // measures them again (new thresholds) without building GammaResults.
    void add(std::size_t gammaIndex, const ImageSummary& summary, int label);
    std::vector<GammaPoint> result() const;
    const std::vector<double>& gammas() const { return gammas_; }

  private:
    std::vector<double> gammas_;
    std::vector<SetMetricsAccumulator> perGamma_;
};

using GammaResultCallback = std::function<void(GammaResult&&)>;

// Runs every image at every γ through the engine (images decoded once, x -> x^γ applied to the
// [0,1] pixel values before the model's normalisation). Results arrive image by image, each
// image's γ values in ascending order. The report counts image-γ pairs. Needs OpenCV.
RunReport runGammaSweep(McEngine& engine, const ModelBundle& bundle,
                        const std::vector<ImageEntry>& images, const std::vector<double>& gammas,
                        const RunOptions& options, const GammaResultCallback& onResult,
                        const ProgressCallback& onProgress = {},
                        const std::atomic<bool>* cancel = nullptr);

// The set-level table, one row per γ (columns in the README).
void writeGammaSweepCsv(const std::vector<GammaPoint>& points, std::ostream& out);

}  // namespace ue
