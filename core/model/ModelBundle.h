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

// A loaded TorchScript model plus its meta. Loading validates everything a run depends on
// (meta fields, output shape, encode/head agreement), so a run never starts on a broken model.
class ModelBundle {
  public:
    // Throws ModelError with a message that names the file and what is wrong.
    static ModelBundle load(const std::string& path);

    ModelBundle(ModelBundle&&) noexcept;
    ModelBundle& operator=(ModelBundle&&) noexcept;
    ~ModelBundle();

    const ModelMeta& meta() const;
    const std::string& path() const;
    std::string metaSource() const;  // "embedded meta.json" or the sidecar's path

    // Qualified paths of the Dropout-type modules (e.g. "head.0"), switched to train in MC mode.
    const std::vector<std::string>& dropoutModules() const;
    // The bundle exports encode/head, they reproduce forward, and encode is deterministic.
    bool encodeHeadUsable() const;
    // Why the split is not used, when meta declares it but a check failed; empty otherwise.
    const std::string& encodeHeadNote() const;
    const StochasticityReport& stochasticity() const;

    struct Impl;
    Impl& impl() const { return *impl_; }

  private:
    explicit ModelBundle(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ue
