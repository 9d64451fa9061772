#pragma once
#include <filesystem>

namespace ue {

// The folder that holds the bundled data (models/, resources/, scripts/). An installed
// executable finds it as ../share/uncertainty-explorer beside its own folder (the package's
// layout); a build-tree executable finds no such folder and uses `sourceDir`, the checkout the
// build was configured from.
std::filesystem::path bundledDataDir(const std::filesystem::path& sourceDir);

// The install-relative candidate on its own: <folder of this executable>/../share/
// uncertainty-explorer, or empty when the executable's path cannot be read.
std::filesystem::path installedDataDir();

}  // namespace ue
