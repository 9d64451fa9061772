#pragma once
// Private to core's torch translation units: the copy of a member that CPU runs call where it
// gives the module's own results.
#include <optional>
#include <string>

#include "TorchIncludes.h"

namespace ue {

struct MemberModel;

// A member frozen in eval mode: weights and mode flags become constants, each batch norm folds
// into the convolution before it, and convolutions and linear layers move to oneDNN with their
// weights packed once (torch.jit.freeze + torch.jit.optimize_for_inference). Its forward is the
// eval-mode forward (its Dropout modules are gone), so MC passes never call it; its encoder is
// the cached run's encoder, which does no random work in any mode.
struct CpuFrozenModel {
    torch::jit::Module module;
    bool forwardUsable = false;  // for passes in eval mode (deterministic runs)
    bool encodeUsable = false;   // for the cached encoder of MC runs
};

// Folding rounds differently, so each half is used only where it agrees with the module within
// 1e-4 relative on a probe input (measured: 4e-6 on ResNet-18's features, 2.5e-6 on the demo
// CNN's probabilities); a forward that is random in eval mode (Bayes-by-backprop) is never
// frozen. nullopt, with the reason in `whyNot`, when freezing fails or neither half agrees.
// Call after the split is verified (encodeHeadUsable), with the module on the CPU.
std::optional<CpuFrozenModel> freezeForCpu(const MemberModel& member, std::string& whyNot);

}  // namespace ue
