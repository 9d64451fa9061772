#include "model/ModelMeta.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "Error.h"

namespace ue {
namespace {

using nlohmann::json;

class MetaReader {
  public:
    explicit MetaReader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
        throw ModelError(source_ + ": meta field '" + field + "' " + problem);
    }

    const json& require(const json& object, const std::string& key, const std::string& path) const {
        auto it = object.find(key);
        if (it == object.end()) {
            fail(path, "is missing");
        }
        return *it;
    }

    std::string string(const json& object, const std::string& key, const std::string& path,
                       bool required) const {
        auto it = object.find(key);
        if (it == object.end()) {
            if (required) {
                fail(path, "is missing");
            }
            return {};
        }
        if (!it->is_string()) {
            fail(path, "must be a string, got " + std::string(it->type_name()));
        }
        return it->get<std::string>();
    }

    int integer(const json& object, const std::string& key, const std::string& path, int lo,
                int hi) const {
        const json& value = require(object, key, path);
        if (!value.is_number_integer()) {
            fail(path, "must be an integer, got " + std::string(value.type_name()));
        }
        const auto number = value.get<long long>();
        if (number < lo || number > hi) {
            fail(path, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                           ", got " + std::to_string(number));
        }
        return static_cast<int>(number);
    }

    std::vector<float> floats(const json& object, const std::string& key, const std::string& path,
                              std::size_t expectedCount, bool positive) const {
        const json& value = require(object, key, path);
        if (!value.is_array()) {
            fail(path, "must be an array of numbers, got " + std::string(value.type_name()));
        }
        if (value.size() != expectedCount) {
            fail(path, "must have one number per input channel (" + std::to_string(expectedCount) +
                           "), got " + std::to_string(value.size()));
        }
        std::vector<float> out;
        for (std::size_t i = 0; i < value.size(); ++i) {
            const std::string itemPath = path + "[" + std::to_string(i) + "]";
            if (!value[i].is_number()) {
                fail(itemPath, "must be a number, got " + std::string(value[i].type_name()));
            }
            const double number = value[i].get<double>();
            if (!std::isfinite(number) || (positive && number <= 0.0)) {
                fail(itemPath, positive ? "must be a finite number > 0" : "must be finite");
            }
            out.push_back(static_cast<float>(number));
        }
        return out;
    }

  private:
    std::string source_;
};

}  // namespace

ModelMeta parseModelMeta(const std::string& text, const std::string& source) {
    MetaReader reader(source);
    if (text.size() > kMaxMetaBytes) {
        throw ModelError(source + ": meta is " + std::to_string(text.size()) +
                         " bytes, more than the limit of " + std::to_string(kMaxMetaBytes));
    }
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {
        // parse_error, and out_of_range for a number too large for a double (found by fuzzing).
        throw ModelError(source + ": meta is not valid JSON: " + e.what());
    }
    if (!root.is_object()) {
        throw ModelError(source + ": meta must be a JSON object, got " +
                         std::string(root.type_name()));
    }

    ModelMeta meta;
    meta.format = reader.string(root, "format", "format", true);
    if (meta.format != kMetaFormat) {
        reader.fail("format",
                    "must be \"" + std::string(kMetaFormat) + "\", got \"" + meta.format + "\"");
    }
    meta.name = reader.string(root, "name", "name", true);
    meta.description = reader.string(root, "description", "description", false);

    const json& classes = reader.require(root, "classes", "classes");
    if (!classes.is_array() || classes.empty()) {
        reader.fail("classes", "must be a non-empty array of class names");
    }
    if (classes.size() > kMaxClasses) {
        reader.fail("classes", "has " + std::to_string(classes.size()) +
                                   " entries, more than the limit of " +
                                   std::to_string(kMaxClasses));
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < classes.size(); ++i) {
        const std::string path = "classes[" + std::to_string(i) + "]";
        if (!classes[i].is_string() || classes[i].get<std::string>().empty()) {
            reader.fail(path, "must be a non-empty string");
        }
        auto name = classes[i].get<std::string>();
        if (!seen.insert(name).second) {
            reader.fail(path, "repeats the class name \"" + name + "\"");
        }
        meta.classes.push_back(std::move(name));
    }

    const json& input = reader.require(root, "input", "input");
    if (!input.is_object()) {
        reader.fail("input", "must be an object with channels, height, width, mean, std");
    }
    meta.input.channels = reader.integer(input, "channels", "input.channels", 1, 4);
    if (meta.input.channels == 2) {
        reader.fail("input.channels", "must be 1 (gray), 3 (RGB) or 4 (RGBA), got 2");
    }
    meta.input.height = reader.integer(input, "height", "input.height", 1, kMaxInputSide);
    meta.input.width = reader.integer(input, "width", "input.width", 1, kMaxInputSide);
    const auto channels = static_cast<std::size_t>(meta.input.channels);
    meta.input.mean = reader.floats(input, "mean", "input.mean", channels, false);
    meta.input.std = reader.floats(input, "std", "input.std", channels, true);
    const std::string resize = reader.string(input, "resize", "input.resize", false);
    if (resize.empty() || resize == "stretch") {
        meta.input.resize = ResizeMode::Stretch;
    } else if (resize == "center-crop") {
        meta.input.resize = ResizeMode::CenterCrop;
    } else {
        reader.fail("input.resize",
                    "must be \"stretch\" or \"center-crop\", got \"" + resize + "\"");
    }

    const std::string output = reader.string(root, "output", "output", false);
    if (output.empty() || output == "logits") {
        meta.output = OutputKind::Logits;
    } else if (output == "logits_logvar") {
        meta.output = OutputKind::LogitsLogvar;
    } else {
        reader.fail("output", "must be \"logits\" or \"logits_logvar\", got \"" + output + "\"");
    }

    auto methods = root.find("methods");
    if (methods != root.end() && !methods->is_null()) {
        if (!methods->is_object()) {
            reader.fail("methods", "must be an object {\"encode\": ..., \"head\": ...}");
        }
        meta.encodeMethod = reader.string(*methods, "encode", "methods.encode", false);
        meta.headMethod = reader.string(*methods, "head", "methods.head", false);
        if (meta.encodeMethod.empty() != meta.headMethod.empty()) {
            reader.fail(meta.encodeMethod.empty() ? "methods.encode" : "methods.head",
                        "is missing: encode and head come together");
        }
    }
    return meta;
}

std::string toString(OutputKind kind) {
    return kind == OutputKind::Logits ? "logits" : "logits_logvar";
}

std::string toString(ResizeMode mode) {
    return mode == ResizeMode::Stretch ? "stretch" : "center-crop";
}

}  // namespace ue
