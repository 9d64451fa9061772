#pragma once
#include <memory>
#include <string>
#include <vector>

#include "model/ModelMeta.h"

namespace ue {

// What two forward passes in Monte Carlo mode on the same input say about a model.
struct StochasticityReport {
    bool passesDiffer = false;         // false: no active stochastic layer, epistemic spread is 0
    double maxAbsDifference = 0.0;     // between the two passes' outputs
    bool encoderDeterministic = true;  // only meaningful when the bundle has encode/head
};

// What a CPU run calls a frozen copy of the model for: weights folded in, batch norm folded into
// convolutions, oneDNN kernels; each use verified against the model on a probe input at load.
// An ensemble's: true where it holds for every member.
struct CpuFrozenUse {
    bool forward = false;  // passes in eval mode: deterministic runs, ensembles, TTA
    bool encoder = false;  // the encoder of cached MC runs
    std::string note;      // why one of them is not used (empty when both are, or no split)
};

// Where the encode/head split a Monte Carlo run caches comes from.
enum class EncodeHeadSource {
    None,       // meta declares none and the graph has no usable cut
    Declared,   // meta's "methods"
    Automatic,  // found in the scripted graph at load time
};

// A loaded TorchScript model plus its meta, or a deep ensemble of them (a JSON manifest listing
// member bundles that share classes, input and output). Loading validates everything a run
// depends on (meta fields, output shapes, encode/head agreement), so a run never starts on a
// broken model.
class ModelBundle {
  public:
    // A bundle file or an ensemble manifest (see EnsembleManifest.h). Throws ModelError with a
    // message that names the file and what is wrong.
    static ModelBundle load(const std::string& path);

    ModelBundle(ModelBundle&&) noexcept;
    ModelBundle& operator=(ModelBundle&&) noexcept;
    ~ModelBundle();

    // An ensemble's meta is its first member's, named and described by the manifest.
    const ModelMeta& meta() const;
    const std::string& path() const;
    // "embedded meta.json", the sidecar's path, or "ensemble manifest".
    std::string metaSource() const;
    bool isEnsemble() const;
    // The TorchScript files a run uses: the bundle itself, or the ensemble's members in order.
    const std::vector<std::string>& memberPaths() const;

    // Qualified paths of the Dropout-type modules (e.g. "head.0"), switched to train in MC mode
    // (an ensemble's: its first member's).
    const std::vector<std::string>& dropoutModules() const;
    // A model whose passes differ without any Dropout module (Bayes-by-backprop): its forward
    // itself is random, so every pass, even a deterministic run's one, is a draw.
    bool hasStochasticForward() const;
    // The bundle has encode/head (declared in meta, else found in the graph), they reproduce
    // forward, and encode is deterministic: MC runs encode once per image.
    bool encodeHeadUsable() const;
    // An ensemble's: its first member's.
    EncodeHeadSource encodeHeadSource() const;
    // Why the split is not used (a check failed, or the graph has no cut); empty otherwise.
    const std::string& encodeHeadNote() const;
    const CpuFrozenUse& cpuFrozen() const;
    const StochasticityReport& stochasticity() const;

    struct Impl;
    Impl& impl() const { return *impl_; }

  private:
    explicit ModelBundle(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// "a frozen copy compiled to oneDNN kernels runs ...", or why the model runs as scripted.
std::string describeCpuFrozen(const ModelBundle& bundle);

// "deep ensemble of 5 members, MC dropout", "heteroscedastic (logits + log variance)",
// "stochastic forward (weights sampled every pass)", "deterministic".
std::string describeModelKind(const ModelBundle& bundle);

// How Monte Carlo passes run: "encode / head: verified, the encoder runs once per image",
// "found automatically in the graph (after aten::flatten; ...)", or why every pass runs the
// whole model.
std::string describeEncodeHead(const ModelBundle& bundle);

}  // namespace ue
