#pragma once

namespace ue {

// A class index, or one of these markers.
inline constexpr int kNoLabel = -1;       // the image's true class is not known
inline constexpr int kUnclassified = -1;  // a decision rule declined to pick a class

}  // namespace ue
