#pragma once
// Private to core's torch translation units: the engine reaches the TorchScript module here.
#include "TorchIncludes.h"
#include "model/ModelBundle.h"

namespace ue {

struct ModelBundle::Impl {
    std::string path;
    std::string metaSource;
    ModelMeta meta;
    mutable torch::jit::Module module;
    std::vector<torch::jit::Module> dropouts;
    std::vector<std::string> dropoutNames;
    bool encodeHeadUsable = false;
    std::string encodeHeadNote;
    StochasticityReport stochasticity;
    mutable torch::Device device = torch::kCPU;  // where module's parameters are now

    // Everything in eval mode, then only the Dropout modules back to train when `mc` is set.
    void setMonteCarlo(bool mc) const;
    // Moves the parameters when the run's device differs from where they are.
    void moveTo(const torch::Device& target) const;
    torch::Tensor forward(const torch::Tensor& input) const;
    torch::Tensor encode(const torch::Tensor& input) const;
    torch::Tensor head(const torch::Tensor& features) const;
    // A fixed, seeded input of the model's shape for the load-time checks, on `device`.
    torch::Tensor probeInput(int rows) const;
};

// The line of a LibTorch/TorchScript exception a user can act on: TorchScript errors carry two
// tracebacks before the final "RuntimeError: ..." line, c10 errors a C++ backtrace after it.
std::string torchErrorSummary(const std::exception& error);

// Runs the load-time stochasticity check (two MC passes on one input).
StochasticityReport checkStochasticity(const ModelBundle::Impl& impl);

}  // namespace ue
