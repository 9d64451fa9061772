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

}  // namespace ue
