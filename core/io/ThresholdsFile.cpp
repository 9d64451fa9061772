#include "io/ThresholdsFile.h"

#include <nlohmann/json.hpp>

#include "Error.h"
#include "io/AtomicFile.h"
#include "io/SmallTextFile.h"

namespace ue {

void saveThresholds(const ThresholdsFile& file, const std::string& path) {
    nlohmann::json json = {{"format", kThresholdsFormat},
                           {"model", file.model},
                           {"method", file.method},
                           {"samples", file.samples},
                           {"percentile", file.values.percentile},
                           {"classes", file.classes},
                           {"thresholds", file.values.thresholds},
                           {"support", file.values.support}};
    if (file.seed) {
        json["seed"] = *file.seed;
    }
    if (file.augmentation.enabled()) {
        json["augmentation"] = nlohmann::json::parse(augmentPolicyToJson(file.augmentation));
    }
    AtomicFile out(path);
    out.stream() << json.dump(2) << "\n";
    out.commit();
}

ThresholdsFile loadThresholds(const std::string& path,
                              const std::vector<std::string>& expectedClasses) {
    // 100,000 class names and their thresholds fit in a few megabytes.
    constexpr std::size_t kMaxThresholdsBytes = std::size_t(64) << 20;
    const std::string text = readSmallTextFile(path, kMaxThresholdsBytes, "thresholds file");
    ThresholdsFile file;
    try {
        const auto json = nlohmann::json::parse(text);
        if (json.value("format", "") != kThresholdsFormat) {
            throw Error(path + ": not a thresholds file (format must be \"" +
                        std::string(kThresholdsFormat) + "\")");
        }
        file.model = json.value("model", "");
        file.method = json.value("method", "");
        file.samples = json.value("samples", 0);
        if (json.contains("seed")) {
            file.seed = json.at("seed").get<std::uint64_t>();
        }
        file.classes = json.at("classes").get<std::vector<std::string>>();
        file.values.percentile = json.at("percentile").get<double>();
        file.values.thresholds = json.at("thresholds").get<std::vector<float>>();
        file.values.support = json.value("support", std::vector<std::size_t>{});
        if (json.contains("augmentation")) {
            file.augmentation = augmentPolicyFromJson(json.at("augmentation").dump());
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": malformed thresholds file: " + e.what());
    } catch (const std::invalid_argument& e) {
        throw Error(path + ": malformed thresholds file: " + e.what());
    }
    if (file.classes != expectedClasses) {
        throw Error(path + ": its classes do not match the model's (computed for model \"" +
                    file.model + "\")");
    }
    if (file.values.thresholds.size() != file.classes.size()) {
        throw Error(path + ": has " + std::to_string(file.values.thresholds.size()) +
                    " thresholds for " + std::to_string(file.classes.size()) + " classes");
    }
    // A threshold is a probability; -1 or 1e308 would make a rule that always or never answers.
    for (std::size_t c = 0; c < file.values.thresholds.size(); ++c) {
        const float value = file.values.thresholds[c];
        if (!(value >= 0.0F && value <= 1.0F)) {
            throw Error(path + ": the threshold of class \"" + file.classes[c] + "\" is " +
                        std::to_string(value) + ", not a probability in [0, 1]");
        }
    }
    return file;
}

std::vector<std::string> thresholdsRunDifferences(const ThresholdsFile& file,
                                                  const ThresholdsRun& run) {
    std::vector<std::string> differences;
    if (!file.model.empty() && file.model != run.model) {
        differences.push_back("computed for model \"" + file.model + "\", this run uses model \"" +
                              run.model + "\"");
    }
    // Thresholds made from results files say how many samples the rows had, not how.
    const bool methodKnown = !file.method.empty() && file.method != kThresholdsFromResults;
    const bool methodDiffers = methodKnown && file.method != run.method;
    if (methodDiffers) {
        differences.push_back("computed with " + file.method + ", this run uses " + run.method);
    }
    if (methodKnown && !methodDiffers && file.samples > 0 && file.samples != run.samples) {
        differences.push_back("computed with T = " + std::to_string(file.samples) +
                              " passes, this run uses T = " + std::to_string(run.samples));
    }
    const auto policyText = [](const AugmentPolicy& p) {
        return p.enabled() ? augmentPolicyToJson(p) : std::string();
    };
    // Results files do not record their augmentation either: what such a file holds is the
    // thresholds command's own --tta, which says nothing about the rows.
    if (file.method != kThresholdsFromResults &&
        policyText(file.augmentation) != policyText(run.augmentation)) {
        // Means over augmented copies and plain means are not on the same scale.
        differences.push_back("computed with " + describe(file.augmentation) + ", this run uses " +
                              describe(run.augmentation));
    }
    return differences;
}

}  // namespace ue
