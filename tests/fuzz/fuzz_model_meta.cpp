// libFuzzer target: parseModelMeta on arbitrary bytes. A model's meta.json comes from whoever
// made the model file; whatever it holds, parsing either gives a meta within the documented
// bounds or throws ModelError, never another exception, a crash or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "Error.h"
#include "model/ModelMeta.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string json(reinterpret_cast<const char*>(data), size);
    ue::ModelMeta meta;
    try {
        meta = ue::parseModelMeta(json, "fuzz/meta.json");
    } catch (const ue::ModelError&) {
        return 0;
    }
    const ue::InputSpec& input = meta.input;
    const bool withinBounds =
        !meta.classes.empty() && meta.classes.size() <= ue::kMaxClasses && input.height > 0 &&
        input.width > 0 && input.height <= ue::kMaxInputSide && input.width <= ue::kMaxInputSide &&
        (input.channels == 1 || input.channels == 3 || input.channels == 4) &&
        input.mean.size() == std::size_t(input.channels) &&
        input.std.size() == std::size_t(input.channels);
    if (!withinBounds) {
        std::abort();  // accepted a meta the engine cannot trust
    }
    for (const float deviation : input.std) {
        if (!(deviation > 0)) {
            std::abort();
        }
    }
    return 0;
}
