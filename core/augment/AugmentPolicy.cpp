#include "augment/AugmentPolicy.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "Error.h"
#include "SplitMix64.h"
#include "io/SmallTextFile.h"

namespace ue {
namespace {

// The same seed must give the same copies everywhere.
class SplitMix {
  public:
    explicit SplitMix(std::uint64_t state) : state_(state) {}
    std::uint64_t next() {
        const std::uint64_t out = splitMix64(state_);
        state_ += kSplitMix64Increment;
        return out;
    }
    double unit() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
    double symmetric(double range) { return (2 * unit() - 1) * range; }

  private:
    std::uint64_t state_;
};

void requireRange(const char* name, double value, double low, double high) {
    if (!(value >= low && value <= high)) {
        std::ostringstream message;
        message << "augmentation " << name << " must be between " << low << " and " << high
                << " (got " << value << ")";
        throw std::invalid_argument(message.str());
    }
}

}  // namespace

std::string toString(AugmentBorder border) {
    switch (border) {
        case AugmentBorder::Replicate:
            return "replicate";
        case AugmentBorder::Zero:
            return "zero";
        case AugmentBorder::Reflect:
            break;
    }
    return "reflect";
}

AugmentBorder augmentBorderFromString(const std::string& name) {
    if (name == "reflect") {
        return AugmentBorder::Reflect;
    }
    if (name == "replicate") {
        return AugmentBorder::Replicate;
    }
    if (name == "zero") {
        return AugmentBorder::Zero;
    }
    throw std::invalid_argument("unknown augmentation border \"" + name +
                                "\" (expected reflect, replicate or zero)");
}

void validate(const AugmentPolicy& p) {
    requireRange("copies", p.copies, 0, kMaxAugmentCopies);
    requireRange("flip probability", p.flipProbability, 0, 1);
    requireRange("shift", p.maxShift, 0, 0.5);
    requireRange("rotation", p.maxRotationDegrees, 0, 180);
    requireRange("scale", p.maxScale, 0, 0.9);
    requireRange("brightness", p.brightness, 0, 1);
    requireRange("contrast", p.contrast, 0, 1);
    requireRange("gamma", p.gamma, 0, 4);
    requireRange("noise", p.noiseStd, 0, 1);
}

std::string describe(const AugmentPolicy& p) {
    if (!p.enabled()) {
        return "no augmentation";
    }
    std::ostringstream out;
    out << "TTA x" << p.copies;
    const char* separator = ": ";
    const auto item = [&](const char* name, double value, const char* unit = "") {
        if (value > 0) {
            out << separator << name << " " << value << unit;
            separator = ", ";
        }
    };
    item("flip", p.flipProbability);
    item("shift", p.maxShift);
    item("rotate", p.maxRotationDegrees, "°");
    item("scale", p.maxScale);
    item("brightness", p.brightness);
    item("contrast", p.contrast);
    item("gamma", p.gamma);
    item("noise", p.noiseStd);
    if (std::string(separator) == ": ") {
        out << " (identity copies)";
    }
    if (p.includeOriginal) {
        out << ", original kept";
    }
    return out.str();
}

std::string augmentPolicyToJson(const AugmentPolicy& p) {
    const nlohmann::json json = {{"copies", p.copies},
                                 {"include_original", p.includeOriginal},
                                 {"flip", p.flipProbability},
                                 {"shift", p.maxShift},
                                 {"rotate_degrees", p.maxRotationDegrees},
                                 {"scale", p.maxScale},
                                 {"brightness", p.brightness},
                                 {"contrast", p.contrast},
                                 {"gamma", p.gamma},
                                 {"noise", p.noiseStd},
                                 {"border", toString(p.border)},
                                 {"seed", p.seed}};
    return json.dump(2);
}

AugmentPolicy augmentPolicyFromJson(const std::string& text) {
    AugmentPolicy p;
    try {
        const auto json = nlohmann::json::parse(text);
        if (!json.is_object()) {
            throw std::invalid_argument("an augmentation policy must be a JSON object");
        }
        for (const auto& [key, value] : json.items()) {
            if (key == "copies") {
                if (!value.is_number_integer()) {
                    throw std::invalid_argument("augmentation copies must be a whole number");
                }
                p.copies = int(
                    std::clamp<std::int64_t>(value.get<std::int64_t>(), -1, kMaxAugmentCopies + 1));
            } else if (key == "include_original") {
                p.includeOriginal = value.get<bool>();
            } else if (key == "flip") {
                p.flipProbability = value.get<double>();
            } else if (key == "shift") {
                p.maxShift = value.get<double>();
            } else if (key == "rotate_degrees") {
                p.maxRotationDegrees = value.get<double>();
            } else if (key == "scale") {
                p.maxScale = value.get<double>();
            } else if (key == "brightness") {
                p.brightness = value.get<double>();
            } else if (key == "contrast") {
                p.contrast = value.get<double>();
            } else if (key == "gamma") {
                p.gamma = value.get<double>();
            } else if (key == "noise") {
                p.noiseStd = value.get<double>();
            } else if (key == "border") {
                p.border = augmentBorderFromString(value.get<std::string>());
            } else if (key == "seed") {
                if (!value.is_number_unsigned()) {
                    throw std::invalid_argument("augmentation seed must be a whole number >= 0");
                }
                p.seed = value.get<std::uint64_t>();
            } else {
                throw std::invalid_argument("unknown augmentation setting \"" + key + "\"");
            }
        }
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("malformed augmentation policy: ") + e.what());
    }
    validate(p);
    return p;
}

AugmentPolicy loadAugmentPolicy(const std::string& path) {
    constexpr std::size_t kMaxPolicyBytes = std::size_t(1) << 20;
    const std::string text =
        readSmallTextFileOr<std::invalid_argument>(path, kMaxPolicyBytes, "augmentation policy");
    try {
        return augmentPolicyFromJson(text);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(path + ": " + e.what());
    }
}

AugmentDraw drawAugmentation(const AugmentPolicy& p, std::uint64_t imageKey, int copy) {
    AugmentDraw draw;
    if (p.includeOriginal && copy == 0) {
        return draw;
    }
    // Mix seed, image and copy so neighbouring images and copies get unrelated streams.
    SplitMix mixer(p.seed);
    SplitMix rng(mixer.next() ^ SplitMix(imageKey).next() ^ SplitMix(~std::uint64_t(copy)).next());
    // Every field is drawn whether or not it is used, so turning one transform on leaves the
    // draws of the others as they were.
    draw.flip = rng.unit() < p.flipProbability;
    draw.shiftX = rng.symmetric(p.maxShift);
    draw.shiftY = rng.symmetric(p.maxShift);
    draw.rotationDegrees = rng.symmetric(p.maxRotationDegrees);
    draw.scale = 1 + rng.symmetric(p.maxScale);
    draw.brightness = rng.symmetric(p.brightness);
    draw.contrast = 1 + rng.symmetric(p.contrast);
    draw.gamma = std::exp(rng.symmetric(std::log1p(p.gamma)));
    draw.noiseSeed = rng.next();
    draw.noiseStd = p.noiseStd;
    return draw;
}

}  // namespace ue
