#include "analysis/MethodSpec.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "Error.h"
#include "io/AtomicFile.h"
#include "io/SmallTextFile.h"

namespace ue {
namespace {

namespace fs = std::filesystem;
const char* const kFormat = "uncertainty-explorer-methods/1";

std::string resolve(const std::string& path, const std::string& baseDir) {
    if (path.empty() || fs::path(path).is_absolute() || baseDir.empty()) {
        return path;
    }
    return (fs::path(baseDir) / path).lexically_normal().string();
}

// Relative to `baseDir` when both lie under one top-level folder (a file saved beside its
// models moves with them); otherwise absolute, which stays right wherever the file goes.
std::string relativeTo(const std::string& path, const std::string& baseDir) {
    if (path.empty()) {
        return path;
    }
    std::error_code error;
    const fs::path absolute = fs::absolute(path, error).lexically_normal();
    const fs::path base = fs::absolute(baseDir.empty() ? "." : baseDir, error).lexically_normal();
    const auto top = [](const fs::path& p) {
        auto part = p.begin();
        return part != p.end() && ++part != p.end() ? part->string() : std::string();
    };
    if (top(absolute).empty() || top(absolute) != top(base)) {
        return absolute.generic_string();
    }
    const fs::path relative = absolute.lexically_relative(base);
    return relative.empty() ? absolute.generic_string() : relative.generic_string();
}

// "method 2 (\"MC dropout\")": which entry an error is about, by position and, once known, label.
std::string nameOf(std::size_t index, const std::string& label) {
    std::string name = "method " + std::to_string(index + 1);
    if (!label.empty()) {
        name += " (\"" + label + "\")";
    }
    return name;
}

int positiveInt(const nlohmann::json& value, const std::string& field) {
    if (!value.is_number_integer() || value.get<long long>() < 1 ||
        value.get<long long>() > 1000000) {
        throw std::invalid_argument(field + " must be a whole number from 1 to 1000000");
    }
    return int(value.get<long long>());
}

int positiveInt(const std::string& text, const std::string& field) {
    try {
        std::size_t used = 0;
        const long long value = std::stoll(text, &used);
        if (used == text.size()) {
            return positiveInt(nlohmann::json(value), field);
        }
    } catch (const std::logic_error&) {
    }
    throw std::invalid_argument(field + " must be a whole number from 1 to 1000000 (got \"" + text +
                                "\")");
}

Method methodNamed(const std::string& name) {
    try {
        return methodFromString(name);
    } catch (const std::invalid_argument&) {
        throw std::invalid_argument("method must be mc-dropout or deterministic (got \"" + name +
                                    "\")");
    }
}

MethodSpec specFromJson(const nlohmann::json& json, std::size_t index, const std::string& baseDir) {
    MethodSpec spec;
    spec.options = defaultComparisonOptions();
    if (!json.is_object()) {
        throw std::invalid_argument(nameOf(index, "") + " must be a JSON object");
    }
    if (json.contains("label") && json["label"].is_string()) {
        spec.label = json["label"].get<std::string>();
    }
    const std::string name = nameOf(index, spec.label);
    try {
        for (const auto& [key, value] : json.items()) {
            if (key == "label") {
                if (!value.is_string() || value.get<std::string>().empty()) {
                    throw std::invalid_argument("label must be a non-empty string");
                }
            } else if (key == "model") {
                if (!value.is_string() || value.get<std::string>().empty()) {
                    throw std::invalid_argument("model must be a non-empty path");
                }
                spec.model = resolve(value.get<std::string>(), baseDir);
            } else if (key == "method") {
                if (!value.is_string()) {
                    throw std::invalid_argument("method must be a string");
                }
                spec.options.method = methodNamed(value.get<std::string>());
            } else if (key == "samples") {
                spec.options.samples = positiveInt(value, "samples");
            } else if (key == "logit_samples") {
                spec.options.logitSamples = positiveInt(value, "logit_samples");
            } else if (key == "seed") {
                if (!value.is_number_unsigned()) {
                    throw std::invalid_argument("seed must be a whole number >= 0");
                }
                spec.options.seed = value.get<std::uint64_t>();
            } else if (key == "tta") {
                if (value.is_string()) {
                    spec.augmentFile = resolve(value.get<std::string>(), baseDir);
                    spec.options.augment = loadAugmentPolicy(spec.augmentFile);
                } else if (value.is_object()) {
                    spec.options.augment = augmentPolicyFromJson(value.dump());
                } else if (!value.is_null()) {
                    throw std::invalid_argument(
                        "tta must be a policy object or the path of a policy file");
                }
            } else {
                throw std::invalid_argument("unknown field \"" + key + "\"");
            }
        }
        if (!json.contains("label")) {
            throw std::invalid_argument("label is missing");
        }
        if (spec.model.empty()) {
            throw std::invalid_argument("model is missing");
        }
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(name + ": " + e.what());
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(name + ": " + e.what());
    }
    return spec;
}

}  // namespace

RunOptions defaultComparisonOptions() {
    RunOptions options;
    options.method = Method::McDropout;
    options.samples = 30;
    options.logitSamples = 10;
    options.seed = 0;
    return options;
}

std::vector<MethodSpec> methodsFromJson(const std::string& text, const std::string& baseDir) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("malformed methods file: ") + e.what());
    }
    if (!json.is_object()) {
        throw std::invalid_argument("a methods file must be a JSON object");
    }
    if (!json.contains("format") || json["format"] != kFormat) {
        throw std::invalid_argument(std::string("format must be \"") + kFormat + "\"");
    }
    if (!json.contains("methods") || !json["methods"].is_array()) {
        throw std::invalid_argument("methods must be a list");
    }
    std::vector<MethodSpec> methods;
    for (const auto& entry : json["methods"]) {
        methods.push_back(specFromJson(entry, methods.size(), baseDir));
    }
    validateMethods(methods);
    return methods;
}

std::string methodsToJson(const std::vector<MethodSpec>& methods, const std::string& baseDir) {
    // One method per line, keys in a fixed order: a file people read and diff.
    std::string out = "{\n  \"format\": \"" + std::string(kFormat) + "\",\n  \"methods\": [";
    for (std::size_t i = 0; i < methods.size(); ++i) {
        const MethodSpec& spec = methods[i];
        nlohmann::ordered_json entry;
        entry["label"] = spec.label;
        entry["model"] = relativeTo(spec.model, baseDir);
        entry["method"] = toString(spec.options.method);
        entry["samples"] = spec.options.samples;
        entry["logit_samples"] = spec.options.logitSamples;
        entry["seed"] = spec.options.seed;
        if (!spec.augmentFile.empty()) {
            entry["tta"] = relativeTo(spec.augmentFile, baseDir);
        } else if (spec.options.augment.enabled()) {
            entry["tta"] = nlohmann::ordered_json::parse(augmentPolicyToJson(spec.options.augment));
        }
        out += (i == 0 ? "\n    " : ",\n    ") + entry.dump();
    }
    out += methods.empty() ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

std::vector<MethodSpec> loadMethods(const std::string& path) {
    constexpr std::size_t kMaxMethodsBytes = std::size_t(4) << 20;
    const std::string text =
        readSmallTextFileOr<std::invalid_argument>(path, kMaxMethodsBytes, "methods file");
    try {
        return methodsFromJson(text, fs::path(path).parent_path().string());
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(path + ": " + e.what());
    }
}

void saveMethods(const std::vector<MethodSpec>& methods, const std::string& path) {
    AtomicFile file(path);
    file.stream() << methodsToJson(methods, fs::path(path).parent_path().string());
    file.commit();
}

MethodSpec parseMethodSpec(const std::string& text) {
    MethodSpec spec;
    spec.options = defaultComparisonOptions();
    std::stringstream items(text);
    std::string item;
    try {
        while (std::getline(items, item, ',')) {
            if (item.empty()) {
                continue;
            }
            const auto equals = item.find('=');
            if (equals == std::string::npos) {
                throw std::invalid_argument("\"" + item + "\" is not key=value");
            }
            const std::string key = item.substr(0, equals);
            const std::string value = item.substr(equals + 1);
            if (key == "label") {
                spec.label = value;
            } else if (key == "model") {
                spec.model = value;
            } else if (key == "method") {
                spec.options.method = methodNamed(value);
            } else if (key == "T" || key == "samples") {
                spec.options.samples = positiveInt(value, "T");
                spec.samplesGiven = true;
            } else if (key == "K" || key == "logit_samples") {
                spec.options.logitSamples = positiveInt(value, "K");
                spec.logitSamplesGiven = true;
            } else if (key == "seed") {
                try {
                    std::size_t used = 0;
                    spec.options.seed = std::stoull(value, &used);
                    if (used != value.size() || value.front() == '-') {
                        throw std::invalid_argument("");
                    }
                } catch (const std::logic_error&) {
                    throw std::invalid_argument("seed must be a whole number >= 0 (got \"" + value +
                                                "\")");
                }
            } else if (key == "tta") {
                spec.augmentFile = value;
                spec.options.augment = loadAugmentPolicy(value);
            } else {
                throw std::invalid_argument(
                    "unknown key \"" + key +
                    "\" (expected label, model, method, T, K, seed or tta)");
            }
        }
        if (spec.label.empty()) {
            throw std::invalid_argument("label is missing");
        }
        if (spec.model.empty()) {
            throw std::invalid_argument("model is missing");
        }
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("--add \"" + text + "\": " + e.what());
    }
    return spec;
}

void validateMethods(const std::vector<MethodSpec>& methods) {
    if (methods.empty()) {
        throw std::invalid_argument("no methods to compare");
    }
    std::set<std::string> labels;
    for (std::size_t i = 0; i < methods.size(); ++i) {
        if (methods[i].label.empty()) {
            throw std::invalid_argument(nameOf(i, "") + ": label is empty");
        }
        if (methods[i].model.empty()) {
            throw std::invalid_argument(nameOf(i, methods[i].label) + ": model is empty");
        }
        if (!labels.insert(methods[i].label).second) {
            throw std::invalid_argument(nameOf(i, methods[i].label) +
                                        ": label is used by another method");
        }
    }
}

}  // namespace ue
