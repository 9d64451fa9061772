#include "model/ModelBundleImpl.h"

namespace ue {

StochasticityReport checkStochasticity(const ModelBundle::Impl& impl) {
    // A module named Dropout may do nothing (traced in eval mode), and a model with no
    // Dropout may still be random (Bayes-by-backprop): only comparing two passes tells.
    StochasticityReport report;
    impl.setMonteCarlo(true);
    const auto input = impl.probeInput(2);
    const auto first = impl.forward(input);
    const auto second = impl.forward(input);
    report.maxAbsDifference = (first - second).abs().max().item<double>();
    report.passesDiffer = report.maxAbsDifference > 0.0;
    if (!impl.meta.encodeMethod.empty() && impl.module.find_method(impl.meta.encodeMethod)) {
        try {
            const auto a = impl.encode(input);
            const auto b = impl.encode(input);
            report.encoderDeterministic = a.sizes() == b.sizes() && torch::equal(a, b);
        } catch (const std::exception&) {
            report.encoderDeterministic = false;
        }
    }
    impl.setMonteCarlo(false);
    return report;
}

}  // namespace ue
