#pragma once
#include <string>
#include <vector>

namespace ue {

// A deep ensemble on disk: a JSON manifest that lists member bundles, e.g.
//   {"format": "uncertainty-explorer-ensemble/1", "name": "fmnist-ensemble",
//    "description": "...", "members": ["fmnist-ens-0.pt", "fmnist-ens-1.pt"]}
// Member paths are relative to the manifest's folder (or absolute).
struct EnsembleManifest {
    std::string name;
    std::string description;
    std::vector<std::string> memberPaths;  // resolved against the manifest's folder
};

inline constexpr const char* kEnsembleFormat = "uncertainty-explorer-ensemble/1";
inline constexpr std::size_t kMaxEnsembleMembers = 64;

// Whether `path` should be read as a manifest rather than a TorchScript file: it ends in
// ".json", or its first non-blank byte is '{' (a TorchScript file is a zip archive).
bool looksLikeEnsembleManifest(const std::string& path);

// Whether `path` is a JSON file that declares the ensemble format (for telling a dropped
// manifest from other JSON files, such as thresholds or augmentation policies).
bool declaresEnsembleFormat(const std::string& path);

// Reads and validates a manifest. Throws ModelError naming the file and the field.
EnsembleManifest loadEnsembleManifest(const std::string& path);

}  // namespace ue
