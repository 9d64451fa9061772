#pragma once
#include <cstdint>
#include <string>

namespace ue {

// Where a shifted, rotated or shrunk copy takes the pixels it has no source for.
enum class AugmentBorder { Reflect, Replicate, Zero };

std::string toString(AugmentBorder border);
// "reflect", "replicate" or "zero"; throws std::invalid_argument otherwise.
AugmentBorder augmentBorderFromString(const std::string& name);

// Test-time augmentation: every image becomes `copies` randomly transformed copies, each run
// through the model (T passes each under MC dropout), so an image's samples are copies x T.
// Every range is symmetric and 0 turns its transform off. The draws depend only on the seed,
// the image's position in the run and the copy's number, never on batching or threads.
struct AugmentPolicy {
    int copies = 0;                // 0: no augmentation (the plain run)
    bool includeOriginal = false;  // copy 0 is the image untouched
    double flipProbability = 0;    // horizontal mirror
    double maxShift = 0;           // fraction of the width / height, each axis uniform in [-s, s]
    double maxRotationDegrees = 0;
    double maxScale = 0;    // zoom factor uniform in [1 - s, 1 + s]
    double brightness = 0;  // added to [0,1] pixels, uniform in [-b, b]
    double contrast = 0;    // factor around the image's mean, uniform in [1 - c, 1 + c]
    double gamma = 0;       // x -> x^g, ln g uniform in [-ln(1 + j), ln(1 + j)]
    double noiseStd = 0;    // Gaussian noise on [0,1] pixels
    AugmentBorder border = AugmentBorder::Reflect;
    std::uint64_t seed = 0;

    bool enabled() const { return copies > 0; }
    // Inputs each image becomes: its copies, or itself alone when augmentation is off.
    int copiesPerImage() const { return enabled() ? copies : 1; }
    bool geometric() const {
        return flipProbability > 0 || maxShift > 0 || maxRotationDegrees > 0 || maxScale > 0;
    }
};

inline constexpr int kMaxAugmentCopies = 10000;

// Throws std::invalid_argument naming the first field out of its range.
void validate(const AugmentPolicy& policy);

// "TTA x20: flip 0.5, shift 0.1, rotate 10°" or "no augmentation": for reports and titles.
std::string describe(const AugmentPolicy& policy);

// The policy as a JSON object (the `--tta-policy` file, and what run settings store).
std::string augmentPolicyToJson(const AugmentPolicy& policy);
// Throws std::invalid_argument for malformed JSON, an unknown key or a value out of range.
AugmentPolicy augmentPolicyFromJson(const std::string& json);
// A policy file (the CLI's --tta-policy, the GUI's Load…); errors name the file.
AugmentPolicy loadAugmentPolicy(const std::string& path);

// One copy's random draw: what the augmenter applies to it.
struct AugmentDraw {
    bool flip = false;
    double shiftX = 0, shiftY = 0;  // fractions of the width / height
    double rotationDegrees = 0;
    double scale = 1;
    double brightness = 0;
    double contrast = 1;
    double gamma = 1;
    double noiseStd = 0;
    std::uint64_t noiseSeed = 0;

    bool identityGeometry() const {
        return !flip && shiftX == 0 && shiftY == 0 && rotationDegrees == 0 && scale == 1;
    }
};

// The draw for copy `copy` of the image whose key is `imageKey` (imageStreamKey of its name,
// so an image gets the same copies whatever else is in its run).
AugmentDraw drawAugmentation(const AugmentPolicy& policy, std::uint64_t imageKey, int copy);

}  // namespace ue
