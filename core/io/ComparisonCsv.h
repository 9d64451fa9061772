#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "analysis/MethodComparison.h"

namespace ue {

// The comparison table (`uncertainty-cli compare -o`): one row per method, in the given order.
// Columns: method, model, description, samples_per_image, images, labelled, ood_images,
// accuracy, nll, brier, ece, aurc_max_prob, aurc_entropy, ood_auroc_entropy, ood_auroc_mi,
// mean_predictive_entropy, mean_expected_entropy, mean_mutual_information,
// mean_logit_variance, images_per_second, seconds, complete. Cells that do not apply (no OOD
// set, no logit variance) are empty.
void writeComparisonCsv(std::ostream& out, const std::vector<ComparisonRow>& rows);

// Every image under every method (`--per-image`): method, set (in/out), path, label,
// prediction, correct, max_prob, margin, predictive_entropy, expected_entropy,
// mutual_information, variation_ratio, logit_variance. Call header once, then rows per method.
class ComparisonImagesCsv {
  public:
    ComparisonImagesCsv(std::ostream& out, std::vector<std::string> classes);
    // `inPaths`/`outPaths`: the run's input lists, which ComparisonImage::index points into.
    void write(const std::string& method, const std::vector<ComparisonImage>& images,
               const std::vector<std::string>& inPaths, const std::vector<std::string>& outPaths);

  private:
    std::ostream& out_;
    std::vector<std::string> classes_;
};

// The table as the CLI prints it: aligned columns, "-" where a number does not apply, and a
// legend of what each column means.
std::string formatComparisonTable(const std::vector<ComparisonRow>& rows);

}  // namespace ue
