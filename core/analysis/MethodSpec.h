#pragma once
#include <string>
#include <vector>

#include "engine/McEngine.h"

namespace ue {

// One method of a comparison: a model (a bundle, or an ensemble manifest) and how to run it.
// Everything a method is to the comparison is the path and the options; what the engine does
// with them (dropout masks, ensemble members, sampled logits) is its business.
struct MethodSpec {
    std::string label;  // what the table calls it; unique within a comparison
    std::string model;  // as given (a methods file's relative paths are resolved on load)
    RunOptions options;
    // The TTA policy file the method named, kept so a saved file can refer to it again; the
    // policy itself is in options.augment.
    std::string augmentFile;
    // Whether --add named T or K, so that the CLI can say when they cannot change the run (a
    // methods file always has both: they stay false).
    bool samplesGiven = false;
    bool logitSamplesGiven = false;
};

// The defaults a methods file or --add starts from: MC dropout, T = 30, K = 10, seed 0.
RunOptions defaultComparisonOptions();

// The methods file:
//   {"format": "uncertainty-explorer-methods/1",
//    "methods": [{"label": "MC dropout", "model": "models/fmnist-mc-cnn.pt",
//                 "method": "mc-dropout", "samples": 30, "logit_samples": 10, "seed": 0,
//                 "tta": {...policy...} or "tta": "policy.json"}]}
// Model and policy paths are relative to `baseDir` (the file's folder) unless absolute.
// Throws std::invalid_argument naming the method (by position and label) and the field.
std::vector<MethodSpec> methodsFromJson(const std::string& json, const std::string& baseDir);
// Paths under `baseDir` are written relative to it, so a file moves with its models.
std::string methodsToJson(const std::vector<MethodSpec>& methods, const std::string& baseDir);
// Errors name the file.
std::vector<MethodSpec> loadMethods(const std::string& path);
// Written atomically (temporary file, then rename). Throws IoError.
void saveMethods(const std::vector<MethodSpec>& methods, const std::string& path);

// The CLI's --add "label=MC,model=m.pt,method=mc-dropout,T=30,K=10,seed=0,tta=policy.json".
// Keys: label, model (required); method, T (or samples), K (or logit_samples), seed, tta.
// Values cannot hold commas. Relative paths stay relative to the working directory.
MethodSpec parseMethodSpec(const std::string& text);

// Throws std::invalid_argument when the list is empty, a label repeats or is empty, or a
// model path is empty.
void validateMethods(const std::vector<MethodSpec>& methods);

}  // namespace ue
