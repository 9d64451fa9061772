#include "model/CpuFrozenModel.h"

#include <torch/csrc/jit/passes/frozen_graph_optimizations.h>

#include "model/ModelBundleImpl.h"

namespace ue {
namespace {

bool close(const torch::Tensor& frozen, const torch::Tensor& expected) {
    if (frozen.defined() != expected.defined()) {
        return false;
    }
    return !frozen.defined() ||
           (frozen.sizes() == expected.sizes() && torch::allclose(frozen, expected, 1e-4, 1e-5));
}

torch::jit::Module freezeEval(const MemberModel& member, bool withEncoder) {
    member.setMonteCarlo(false);
    std::vector<std::string> preserved;
    if (withEncoder) {
        preserved.push_back(member.encodeMethod);
    }
    auto frozen = torch::jit::freeze(member.module, preserved);
    if (withEncoder) {
        // LibTorch's freeze folds only forward's graph; the encoder is another method.
        auto graph = frozen.get_method(member.encodeMethod).graph();
        torch::jit::OptimizeFrozenGraph(graph, /*optimize_numerics=*/true);
    }
    return torch::jit::optimize_for_inference(frozen, preserved);
}

}  // namespace

std::optional<CpuFrozenModel> freezeForCpu(const MemberModel& member, std::string& whyNot) {
    torch::InferenceMode guard;
    const auto input = member.probeInput(2);
    const bool withEncoder = member.encodeHeadUsable;
    try {
        member.setMonteCarlo(false);
        const auto expected = member.forward(input);
        const bool evalDeterministic = torch::equal(expected.logits, member.forward(input).logits);
        const auto features = withEncoder ? member.encode(input) : torch::Tensor();

        CpuFrozenModel frozen{freezeEval(member, withEncoder)};
        const auto output =
            outputOf(frozen.module.forward({input}), member.meta.output, "frozen forward");
        frozen.forwardUsable = evalDeterministic && close(output.logits, expected.logits) &&
                               close(output.logVariance, expected.logVariance);
        frozen.encodeUsable =
            withEncoder &&
            close(frozen.module.get_method(member.encodeMethod)({input}).toTensor(), features);
        member.setMonteCarlo(false);
        if (!frozen.forwardUsable) {
            whyNot = evalDeterministic ? "its frozen forward's outputs differ from the model's"
                                       : "its forward is random even in eval mode";
        } else if (withEncoder && !frozen.encodeUsable) {
            whyNot = "its frozen encoder's features differ from the model's";
        }
        if (!frozen.forwardUsable && !frozen.encodeUsable) {
            return std::nullopt;
        }
        return frozen;
    } catch (const std::exception& e) {
        member.setMonteCarlo(false);
        whyNot = "freezing it failed (" + torchErrorSummary(e) + ")";
        return std::nullopt;
    }
}

}  // namespace ue
