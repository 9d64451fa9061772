#include <algorithm>
#include <array>
#include <sstream>

#include "Error.h"
#include "engine/HashedDropout.h"
#include "model/AutoSplit.h"
#include "model/ModelBundleImpl.h"

namespace ue {
namespace {

// Random heads (Bayes-by-backprop) are compared with forward under the same seed.
constexpr std::uint64_t kProbeSeed = 20240611;

std::string shapeString(const torch::Tensor& tensor) {
    std::ostringstream out;
    out << '[';
    for (int64_t d = 0; d < tensor.dim(); ++d) {
        out << (d ? ", " : "") << tensor.size(d);
    }
    out << ']';
    return out.str();
}

void checkOutputShape(const ModelOutput& output, int64_t rows, std::size_t classes,
                      const std::string& what) {
    const auto expected = "[" + std::to_string(rows) + ", " + std::to_string(classes) + "]";
    const auto& logits = output.logits;
    if (logits.dim() != 2 || logits.size(0) != rows ||
        logits.size(1) != static_cast<int64_t>(classes)) {
        throw ModelError(what + " returned logits of shape " + shapeString(logits) + ", expected " +
                         expected + " (meta lists " + std::to_string(classes) + " classes)");
    }
    const auto& logVariance = output.logVariance;
    if (logVariance.defined() &&
        (logVariance.dim() != 2 || logVariance.size(0) != rows ||
         (logVariance.size(1) != static_cast<int64_t>(classes) && logVariance.size(1) != 1))) {
        throw ModelError(what + " returned a log variance of shape " + shapeString(logVariance) +
                         ", expected " + expected + " (one per logit) or [" + std::to_string(rows) +
                         ", 1] (one per image)");
    }
}

bool sameOutput(const ModelOutput& a, const ModelOutput& b) {
    const auto close = [](const torch::Tensor& x, const torch::Tensor& y) {
        if (x.defined() != y.defined()) {
            return false;
        }
        return !x.defined() || (x.sizes() == y.sizes() && torch::allclose(x, y, 1e-4, 1e-5));
    };
    return close(a.logits, b.logits) && close(a.logVariance, b.logVariance);
}

bool encoderIsDeterministic(const MemberModel& member, const torch::Tensor& input) {
    member.setMonteCarlo(true);
    try {
        const auto a = member.encode(input);
        const auto b = member.encode(input);
        return a.sizes() == b.sizes() && torch::equal(a, b);
    } catch (const std::exception&) {
        return false;
    }
}

// Sets the methods a cached run calls: meta's when it declares them, else the split found in
// the graph. Returns false when there are none.
bool chooseEncodeHead(MemberModel& member) {
    const auto& meta = member.meta;
    if (!meta.encodeMethod.empty()) {
        for (const auto& name : {meta.encodeMethod, meta.headMethod}) {
            if (!member.module.find_method(name)) {
                throw ModelError(member.path + ": meta field 'methods' names '" + name +
                                 "', but the model has no such method (export it with "
                                 "@torch.jit.export)");
            }
        }
        member.encodeMethod = meta.encodeMethod;
        member.headMethod = meta.headMethod;
        member.encodeHeadSource = EncodeHeadSource::Declared;
        return true;
    }
    const auto split = addAutoSplitMethods(member.module);
    if (split.encodeMethod.empty()) {
        member.encodeHeadNote = split.whyNot;
        return false;
    }
    member.encodeMethod = split.encodeMethod;
    member.headMethod = split.headMethod;
    member.encodeHeadSource = EncodeHeadSource::Automatic;
    member.encodeHeadWhere = split.where;
    return true;
}

// The same checks for declared and automatic splits: head(encode(x)) equals forward(x) in
// eval mode (under one seed, for random heads), and encode is deterministic in MC mode.
void verifyEncodeHead(MemberModel& member) {
    if (!chooseEncodeHead(member)) {
        return;
    }
    const bool declared = member.encodeHeadSource == EncodeHeadSource::Declared;
    const std::string split =
        declared ? "encode/head" : "the split found in the graph (" + member.encodeHeadWhere + ")";
    const std::string prefix = declared ? "" : split + ": ";
    member.setMonteCarlo(false);
    const auto input = member.probeInput(2);
    ModelOutput whole;
    ModelOutput halves;
    try {
        torch::manual_seed(kProbeSeed);
        whole = member.forward(input);
        torch::manual_seed(kProbeSeed);
        halves = member.head(member.encode(input));
    } catch (const std::exception& e) {
        member.encodeHeadNote = split + " failed on a probe input (" + torchErrorSummary(e) +
                                "); every pass runs the whole model";
        return;
    }
    member.stochasticity.encoderDeterministic = encoderIsDeterministic(member, input);
    member.setMonteCarlo(false);
    if (!sameOutput(whole, halves)) {
        member.encodeHeadNote =
            prefix +
            "head(encode(x)) does not reproduce forward(x); every pass runs the "
            "whole model";
        return;
    }
    if (!member.stochasticity.encoderDeterministic) {
        member.encodeHeadNote = prefix +
                                "encode is itself stochastic, so it cannot be cached; every "
                                "pass runs the whole model";
        return;
    }
    member.encodeHeadUsable = true;
}

}  // namespace

ModelOutput outputOf(const c10::IValue& value, OutputKind kind, const std::string& what) {
    if (kind == OutputKind::Logits) {
        if (value.isTensor()) {
            return {value.toTensor(), {}};
        }
        throw ModelError(what + " returned " + value.tagKind() +
                         ", expected one tensor of logits [N, classes]" +
                         (value.isTuple() ? " (a heteroscedastic model returning (logits, log "
                                            "variance) must declare \"output\": \"logits_logvar\")"
                                          : ""));
    }
    if (value.isTuple()) {
        const auto& elements = value.toTupleRef().elements();
        if (elements.size() == 2 && elements[0].isTensor() && elements[1].isTensor()) {
            return {elements[0].toTensor(), elements[1].toTensor()};
        }
    }
    throw ModelError(what + " returned " + value.tagKind() +
                     ", expected a tuple (logits [N, classes], log variance [N, classes]) as "
                     "meta 'output' is \"logits_logvar\"");
}

bool isDropoutType(const c10::ClassTypePtr& type) {
    if (!type || !type->name()) {
        return false;
    }
    // Scripted type names can be mangled (`___torch_mangle_7.Dropout`): compare the class's
    // own name, exactly, as models/bundle.py's is_dropout does. A substring match would also
    // take a model class such as `MCDropoutClassifier` for a Dropout and train all of it
    // (BatchNorm included) in MC mode.
    static const std::array<const char*, 6> names = {
        "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"};
    const auto name = type->name()->name();
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string torchErrorSummary(const std::exception& error) {
    const auto* c10Error = dynamic_cast<const c10::Error*>(&error);
    std::string text = c10Error ? c10Error->what_without_backtrace() : error.what();
    const auto marker = text.rfind("Error: ");
    if (marker != std::string::npos && text.find("Traceback") != std::string::npos) {
        const auto lineStart = text.rfind('\n', marker);
        text = text.substr(lineStart == std::string::npos ? 0 : lineStart + 1);
    }
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

void MemberModel::setMonteCarlo(bool mc) const {
    monteCarlo = mc;
    module.eval();
    if (mc) {
        for (auto dropout : dropouts) {
            dropout.train(true);
        }
    }
}

void MemberModel::moveTo(const torch::Device& target) const {
    if (target != device) {
        module.to(target);
        device = target;
    }
}

ModelOutput MemberModel::forward(const torch::Tensor& input) const {
    if (!monteCarlo && cpuFrozen && cpuFrozen->forwardUsable && device.is_cpu()) {
        return outputOf(cpuFrozen->module.get_method("forward")({input}), meta.output, "forward");
    }
    return outputOf(module.forward({input}), meta.output, "forward");
}

torch::Tensor MemberModel::encode(const torch::Tensor& input) const {
    if (cpuFrozen && cpuFrozen->encodeUsable && device.is_cpu()) {
        return cpuFrozen->module.get_method(encodeMethod)({input}).toTensor();
    }
    return module.get_method(encodeMethod)({input}).toTensor();
}

ModelOutput MemberModel::head(const torch::Tensor& features) const {
    return outputOf(module.get_method(headMethod)({features}), meta.output, headMethod);
}

torch::Tensor MemberModel::probeInput(int rows) const {
    const auto& in = meta.input;
    const int64_t numel = int64_t{rows} * in.channels * in.height * in.width;
    return torch::sin(torch::arange(numel, torch::kFloat32) * 0.37f)
        .reshape({rows, in.channels, in.height, in.width})
        .to(device);
}

void loadMemberModule(MemberModel& member, std::string& embeddedMeta) {
    torch::jit::ExtraFilesMap extra{{"meta.json", ""}};
    try {
        member.module = torch::jit::load(member.path, torch::kCPU, extra);
    } catch (const std::exception& e) {
        throw ModelError(member.path +
                         ": not a TorchScript model (save it with torch.jit.script + "
                         "torch.jit.save; a pickled state_dict or a plain torch.save "
                         "file cannot be run): " +
                         torchErrorSummary(e));
    }
    embeddedMeta = extra["meta.json"];
    // Before anything runs the module: its executors would keep the graphs they optimised.
    useHashedDropout(member.module);
    for (const auto& item : member.module.named_modules()) {
        if (isDropoutType(item.value.type())) {
            member.dropouts.push_back(item.value);
            member.dropoutNames.push_back(item.name);
        }
    }
}

void checkMemberModel(MemberModel& member) {
    torch::InferenceMode guard;
    member.setMonteCarlo(false);
    const auto probe = member.probeInput(2);
    try {
        checkOutputShape(member.forward(probe), 2, member.meta.classes.size(),
                         member.path + ": forward");
    } catch (const ModelError&) {
        throw;
    } catch (const std::exception& e) {
        throw ModelError(
            member.path + ": forward failed on an input of shape " + shapeString(probe) +
            " built from meta.input (channels, height, width): " + torchErrorSummary(e));
    }
    member.stochasticity = checkStochasticity(member);
    verifyEncodeHead(member);
    member.cpuFrozen = freezeForCpu(member, member.cpuFrozenNote);
    member.setMonteCarlo(false);
}

StochasticityReport checkStochasticity(const MemberModel& member) {
    // A module named Dropout may do nothing (traced in eval mode), and a model with no
    // Dropout may still be random (Bayes-by-backprop): only comparing two passes tells.
    StochasticityReport report;
    member.setMonteCarlo(true);
    const auto input = member.probeInput(2);
    const auto first = member.forward(input);
    const auto second = member.forward(input);
    report.maxAbsDifference = (first.logits - second.logits).abs().max().item<double>();
    if (first.logVariance.defined()) {
        report.maxAbsDifference =
            std::max(report.maxAbsDifference,
                     (first.logVariance - second.logVariance).abs().max().item<double>());
    }
    report.passesDiffer = report.maxAbsDifference > 0.0;
    member.setMonteCarlo(false);
    return report;
}

}  // namespace ue
