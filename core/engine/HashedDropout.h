#pragma once
// Private to core's torch translation units: dropout whose masks come from DropoutMasks.h.
//
// On load, every aten::dropout and aten::feature_dropout in a model's TorchScript (methods and
// the functions they call) is replaced by ue::dropout / ue::feature_dropout. Outside a
// DropoutStreamsScope these run LibTorch's own dropout, so a model behaves as before anywhere
// else; inside one, on the scope's thread, the masks come from the scope's pass keys.
#include <cstdint>
#include <vector>

#include "TorchIncludes.h"

namespace ue {

// Replaces the dropout ops in every function of `module`'s compilation unit. Must run before
// the module first runs: executors keep the optimised graphs they made. Returns how many were
// replaced.
int useHashedDropout(torch::jit::Module& module);

// While alive, dropout calls on this thread whose input has passKeys.size() rows draw row r's
// mask from passKeys[r] (dropoutPassKey of its input's stream and pass), numbering the layers
// from 0 in the order they run. Calls on inputs with another row count fall back to LibTorch's
// dropout. Scopes nest; one model call per scope.
class DropoutStreamsScope {
  public:
    explicit DropoutStreamsScope(std::vector<std::uint64_t> passKeys);
    ~DropoutStreamsScope();
    DropoutStreamsScope(const DropoutStreamsScope&) = delete;
    DropoutStreamsScope& operator=(const DropoutStreamsScope&) = delete;

    const std::vector<std::uint64_t>& passKeys() const { return passKeys_; }
    // The next dropout call's layer number.
    std::uint64_t takeLayer() { return nextLayer_++; }

  private:
    std::vector<std::uint64_t> passKeys_;
    std::uint64_t nextLayer_ = 0;
    DropoutStreamsScope* outer_;
};

}  // namespace ue
