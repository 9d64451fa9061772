#pragma once
// Private to core's torch translation units: the engine reaches the TorchScript modules here.
#include <optional>

#include "TorchIncludes.h"
#include "model/CpuFrozenModel.h"
#include "model/ModelBundle.h"

namespace ue {

// What one pass of a model returns: logits [N, C], and for a heteroscedastic model
// ("output": "logits_logvar") the predicted log variance of each logit (undefined otherwise).
struct ModelOutput {
    torch::Tensor logits;
    torch::Tensor logVariance;
};

// One TorchScript file: a plain bundle, or one member of an ensemble.
struct MemberModel {
    std::string path;
    ModelMeta meta;  // its own (an ensemble's members agree on classes, input and output)
    mutable torch::jit::Module module;
    std::vector<torch::jit::Module> dropouts;
    std::vector<std::string> dropoutNames;
    // The methods a cached run calls: meta's, or the ones found in the graph (AutoSplit.h).
    std::string encodeMethod;
    std::string headMethod;
    EncodeHeadSource encodeHeadSource = EncodeHeadSource::None;
    std::string encodeHeadWhere;  // where an automatic split cuts the graph
    bool encodeHeadUsable = false;
    std::string encodeHeadNote;
    // Called instead of the module where it agrees, while the module is on the CPU.
    std::optional<CpuFrozenModel> cpuFrozen;
    std::string cpuFrozenNote;  // why it is not used, or not for the encoder
    StochasticityReport stochasticity;
    mutable torch::Device device = torch::kCPU;  // where module's parameters are now
    mutable bool monteCarlo = false;             // the last setMonteCarlo

    // Everything in eval mode, then only the Dropout modules back to train when `mc` is set.
    void setMonteCarlo(bool mc) const;
    // Moves the parameters when the run's device differs from where they are.
    void moveTo(const torch::Device& target) const;
    ModelOutput forward(const torch::Tensor& input) const;
    torch::Tensor encode(const torch::Tensor& input) const;
    ModelOutput head(const torch::Tensor& features) const;
    // A fixed, seeded input of the model's shape for the load-time checks, on `device`.
    torch::Tensor probeInput(int rows) const;
};

struct ModelBundle::Impl {
    std::string path;  // the bundle, or the ensemble's manifest
    std::string metaSource;
    ModelMeta meta;
    std::vector<MemberModel> members;  // one, or an ensemble's members in manifest order
    std::vector<std::string> memberPaths;
    bool isEnsemble = false;
    StochasticityReport stochasticity;  // over all members
    bool encodeHeadUsable = false;      // every member's split is usable
    std::string encodeHeadNote;
    CpuFrozenUse cpuFrozen;  // what every member's frozen copy does
};

// A method's return value as logits (and log variance, for `kind` LogitsLogvar); throws
// ModelError naming `what` when it has another type.
ModelOutput outputOf(const c10::IValue& value, OutputKind kind, const std::string& what);

// Loads and checks one TorchScript file against `meta` (output shapes, stochasticity,
// encode/head); `embeddedMeta` receives the file's meta.json (empty when it has none).
// Throws ModelError.
void loadMemberModule(MemberModel& member, std::string& embeddedMeta);
void checkMemberModel(MemberModel& member);

// nn.Dropout and its variants, which MC mode switches to train.
bool isDropoutType(const c10::ClassTypePtr& type);

// The line of a LibTorch/TorchScript exception a user can act on: TorchScript errors carry two
// tracebacks before the final "RuntimeError: ..." line, c10 errors a C++ backtrace after it.
std::string torchErrorSummary(const std::exception& error);

// Runs the load-time stochasticity check (two MC passes on one input). The encoder's own
// determinism is checked with the split, in checkMemberModel.
StochasticityReport checkStochasticity(const MemberModel& member);

}  // namespace ue
