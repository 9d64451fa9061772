#pragma once
#include <string>
#include <vector>

namespace ue {

enum class OutputKind { Logits, LogitsLogvar };
enum class ResizeMode { Stretch, CenterCrop };

struct InputSpec {
    int channels = 1;
    int height = 0;
    int width = 0;
    std::vector<float> mean;  // per channel, on pixel values scaled to [0,1]
    std::vector<float> std;   // per channel, > 0
    ResizeMode resize = ResizeMode::Stretch;
};

// What a model bundle says about itself: the `meta.json` of DESIGN.md.
struct ModelMeta {
    std::string format;
    std::string name;
    std::string description;
    std::vector<std::string> classes;
    InputSpec input;
    OutputKind output = OutputKind::Logits;
    std::string encodeMethod;  // empty when the bundle exports no encode/head split
    std::string headMethod;
};

inline constexpr const char* kMetaFormat = "uncertainty-explorer/1";
// Sizes read from meta are bounded before anything is allocated from them.
inline constexpr std::size_t kMaxMetaBytes = 4u << 20;
inline constexpr int kMaxInputSide = 8192;
inline constexpr std::size_t kMaxClasses = 100000;

// Parses and validates meta JSON. Throws ModelError naming the field (e.g. `input.height`) and
// what was expected. `source` names where the JSON came from, for the message.
ModelMeta parseModelMeta(const std::string& json, const std::string& source);

std::string toString(OutputKind kind);
std::string toString(ResizeMode mode);

}  // namespace ue
