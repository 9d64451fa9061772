#include "io/ComparisonCsv.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "io/CsvWriter.h"

namespace ue {

void writeComparisonCsv(std::ostream& out, const std::vector<ComparisonRow>& rows) {
    CsvWriter csv(out);
    csv.header({"method",
                "model",
                "description",
                "samples_per_image",
                "images",
                "labelled",
                "ood_images",
                "accuracy",
                "nll",
                "brier",
                "ece",
                "aurc_max_prob",
                "aurc_entropy",
                "ood_auroc_entropy",
                "ood_auroc_mi",
                "mean_predictive_entropy",
                "mean_expected_entropy",
                "mean_mutual_information",
                "mean_logit_variance",
                "images_per_second",
                "seconds",
                "complete"});
    for (const ComparisonRow& r : rows) {
        csv.text(r.label).text(r.model).text(r.description);
        csv.integer(r.samplesPerImage)
            .integer(static_cast<long long>(r.images))
            .integer(static_cast<long long>(r.labelled))
            .integer(static_cast<long long>(r.outImages));
        // Set-level numbers need labelled images; without them the cells stay empty rather
        // than read as a perfect 0.
        const auto labelledNumber = [&](double value) {
            r.labelled > 0 ? csv.number(value) : csv.empty();
        };
        labelledNumber(r.accuracy);
        labelledNumber(r.nll);
        labelledNumber(r.brier);
        labelledNumber(r.ece);
        labelledNumber(r.aurcMaxProbability);
        labelledNumber(r.aurcEntropy);
        r.hasOod ? csv.number(r.oodAurocEntropy) : csv.empty();
        r.hasOod ? csv.number(r.oodAurocMutualInformation) : csv.empty();
        csv.number(r.meanPredictiveEntropy)
            .number(r.meanExpectedEntropy)
            .number(r.meanMutualInformation);
        r.hasLogitVariance ? csv.number(r.meanLogitVariance) : csv.empty();
        csv.number(r.imagesPerSecond, 6).number(r.seconds, 6).integer(r.cancelled ? 0 : 1);
        csv.endRow();
    }
}

ComparisonImagesCsv::ComparisonImagesCsv(std::ostream& out, std::vector<std::string> classes)
    : out_(out), classes_(std::move(classes)) {
    CsvWriter(out_).header({"method", "set", "path", "label", "prediction", "correct", "max_prob",
                            "margin", "predictive_entropy", "expected_entropy",
                            "mutual_information", "variation_ratio", "logit_variance"});
}

void ComparisonImagesCsv::write(const std::string& method,
                                const std::vector<ComparisonImage>& images,
                                const std::vector<std::string>& inPaths,
                                const std::vector<std::string>& outPaths) {
    CsvWriter csv(out_);
    const auto className = [&](int index) {
        return index >= 0 && index < int(classes_.size()) ? classes_[std::size_t(index)]
                                                          : std::string();
    };
    for (const ComparisonImage& image : images) {
        const auto& paths = image.outOfDistribution ? outPaths : inPaths;
        csv.text(method).text(image.outOfDistribution ? "out" : "in");
        csv.text(image.index < paths.size() ? paths[image.index] : std::string());
        csv.text(className(image.label)).text(className(image.prediction));
        image.label >= 0 ? csv.integer(image.prediction == image.label ? 1 : 0) : csv.empty();
        csv.number(image.maxProbability)
            .number(image.margin)
            .number(image.predictiveEntropy)
            .number(image.expectedEntropy)
            .number(image.mutualInformation)
            .number(image.variationRatio);
        // Empty, as in analyze's results, for a model that predicts no logit variance.
        image.hasLogitVariance ? csv.number(image.logitVariance) : csv.empty();
        csv.endRow();
    }
}

std::string formatComparisonTable(const std::vector<ComparisonRow>& rows) {
    std::size_t labelWidth = 6;
    for (const ComparisonRow& r : rows) {
        labelWidth = std::max(labelWidth, r.label.size());
    }
    struct Column {
        const char* title;
        int width;
    };
    const Column columns[] = {{"acc %", 6}, {"NLL", 7},    {"Brier", 7},   {"ECE", 7},
                              {"AURC", 7},  {"AURC-H", 7}, {"AUROC-H", 8}, {"AUROC-MI", 8},
                              {"H", 7},     {"aleat.", 7}, {"epist.", 7},  {"logitvar", 8},
                              {"img/s", 8}};
    std::ostringstream out;
    char cell[64];
    out << "  " << std::string("method") << std::string(labelWidth - 6, ' ');
    for (const Column& c : columns) {
        std::snprintf(cell, sizeof cell, " %*s", c.width, c.title);
        out << cell;
    }
    out << "\n";
    for (const ComparisonRow& r : rows) {
        out << "  " << r.label << std::string(labelWidth - r.label.size(), ' ');
        const auto number = [&](const Column& c, bool applies, double value, int decimals) {
            if (applies) {
                std::snprintf(cell, sizeof cell, " %*.*f", c.width, decimals, value);
            } else {
                std::snprintf(cell, sizeof cell, " %*s", c.width, "-");
            }
            out << cell;
        };
        const bool labelled = r.labelled > 0;
        number(columns[0], labelled, 100 * r.accuracy, 2);
        number(columns[1], labelled, r.nll, 4);
        number(columns[2], labelled, r.brier, 4);
        number(columns[3], labelled, r.ece, 4);
        number(columns[4], labelled, r.aurcMaxProbability, 4);
        number(columns[5], labelled, r.aurcEntropy, 4);
        number(columns[6], r.hasOod, r.oodAurocEntropy, 4);
        number(columns[7], r.hasOod, r.oodAurocMutualInformation, 4);
        // Means need an image (a run cancelled or failing before one finished has none).
        const bool analysed = r.images > 0;
        number(columns[8], analysed, r.meanPredictiveEntropy, 4);
        number(columns[9], analysed, r.meanExpectedEntropy, 4);
        number(columns[10], analysed, r.meanMutualInformation, 4);
        number(columns[11], r.hasLogitVariance, r.meanLogitVariance, 4);
        number(columns[12], r.seconds > 0, r.imagesPerSecond, 0);
        out << (r.cancelled ? "  (partial)" : "") << "\n";
    }
    out << "\n  acc: argmax accuracy. NLL, Brier, ECE (15 bins): calibration of the mean "
           "probabilities.\n"
           "  AURC: area under the risk-coverage curve, images kept by max probability (AURC-H: "
           "by predictive entropy).\n"
           "  AUROC-H / AUROC-MI: OOD detection by predictive entropy / mutual information.\n"
           "  H, aleat., epist.: mean predictive entropy (total), expected entropy (aleatoric), "
           "mutual information (epistemic), nats.\n"
           "  logitvar: mean predicted logit variance (heteroscedastic models). img/s: images "
           "(in + OOD) per second of inference.\n";
    return out.str();
}

}  // namespace ue
