#include "model/ModelBundle.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "Error.h"
#include "model/ModelBundleImpl.h"

namespace ue {
namespace fs = std::filesystem;

namespace {

std::string shapeString(const torch::Tensor& tensor) {
    std::ostringstream out;
    out << '[';
    for (int64_t d = 0; d < tensor.dim(); ++d) {
        out << (d ? ", " : "") << tensor.size(d);
    }
    out << ']';
    return out.str();
}

std::string readSidecar(const fs::path& sidecar) {
    std::error_code ec;
    const auto size = fs::file_size(sidecar, ec);
    if (ec) {
        throw ModelError(sidecar.string() + ": cannot read sidecar meta: " + ec.message());
    }
    if (size > kMaxMetaBytes) {
        throw ModelError(sidecar.string() + ": meta is " + std::to_string(size) +
                         " bytes, more than the limit of " + std::to_string(kMaxMetaBytes));
    }
    std::ifstream in(sidecar, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
        throw ModelError(sidecar.string() + ": cannot read sidecar meta");
    }
    return text.str();
}

bool isDropoutType(const torch::jit::Module& module) {
    const auto type = module.type();
    // Scripted type names can be mangled (`___torch_mangle_7.Dropout`): match by substring,
    // which also covers Dropout1d/2d/3d and AlphaDropout.
    return type && type->name() &&
           type->name()->qualifiedName().find("Dropout") != std::string::npos;
}

torch::jit::Module loadTorchScript(const std::string& path, std::string& embeddedMeta) {
    torch::jit::ExtraFilesMap extra{{"meta.json", ""}};
    try {
        auto module = torch::jit::load(path, torch::kCPU, extra);
        embeddedMeta = extra["meta.json"];
        return module;
    } catch (const std::exception& e) {
        throw ModelError(path +
                         ": not a TorchScript model (save it with torch.jit.script + "
                         "torch.jit.save; a pickled state_dict or a plain torch.save "
                         "file cannot be run): " +
                         torchErrorSummary(e));
    }
}

torch::Tensor logitsOf(const c10::IValue& output, const std::string& what) {
    if (!output.isTensor()) {
        throw ModelError(what + " returned " + output.tagKind() +
                         ", expected one tensor of logits [N, classes]");
    }
    return output.toTensor();
}

void checkLogitsShape(const torch::Tensor& logits, int64_t rows, std::size_t classes,
                      const std::string& what) {
    if (logits.dim() != 2 || logits.size(0) != rows ||
        logits.size(1) != static_cast<int64_t>(classes)) {
        throw ModelError(what + " returned a tensor of shape " + shapeString(logits) +
                         ", expected [" + std::to_string(rows) + ", " + std::to_string(classes) +
                         "] (meta lists " + std::to_string(classes) + " classes)");
    }
}

void verifyEncodeHead(ModelBundle::Impl& impl) {
    const auto& meta = impl.meta;
    if (meta.encodeMethod.empty()) {
        return;
    }
    for (const auto& name : {meta.encodeMethod, meta.headMethod}) {
        if (!impl.module.find_method(name)) {
            throw ModelError(impl.path + ": meta field 'methods' names '" + name +
                             "', but the model has no such method (export it with "
                             "@torch.jit.export)");
        }
    }
    impl.setMonteCarlo(false);
    const auto input = impl.probeInput(2);
    torch::Tensor whole;
    torch::Tensor split;
    try {
        whole = impl.forward(input);
        split = impl.head(impl.encode(input));
    } catch (const std::exception& e) {
        impl.encodeHeadNote = "encode/head failed on a probe input (" + torchErrorSummary(e) +
                              "); every pass runs the whole model";
        return;
    }
    if (split.sizes() != whole.sizes() || !torch::allclose(split, whole, 1e-4, 1e-5)) {
        impl.encodeHeadNote =
            "head(encode(x)) does not reproduce forward(x); every pass runs the whole model";
        return;
    }
    if (!impl.stochasticity.encoderDeterministic) {
        impl.encodeHeadNote =
            "encode is itself stochastic, so it cannot be cached; every pass runs the whole "
            "model";
        return;
    }
    impl.encodeHeadUsable = true;
}

}  // namespace

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

void ModelBundle::Impl::setMonteCarlo(bool mc) const {
    module.eval();
    if (mc) {
        for (auto dropout : dropouts) {
            dropout.train(true);
        }
    }
}

void ModelBundle::Impl::moveTo(const torch::Device& target) const {
    if (target != device) {
        module.to(target);
        device = target;
    }
}

torch::Tensor ModelBundle::Impl::forward(const torch::Tensor& input) const {
    return logitsOf(module.forward({input}), "forward");
}

torch::Tensor ModelBundle::Impl::encode(const torch::Tensor& input) const {
    return module.get_method(meta.encodeMethod)({input}).toTensor();
}

torch::Tensor ModelBundle::Impl::head(const torch::Tensor& features) const {
    return logitsOf(module.get_method(meta.headMethod)({features}), meta.headMethod);
}

torch::Tensor ModelBundle::Impl::probeInput(int rows) const {
    const auto& in = meta.input;
    const int64_t numel = int64_t{rows} * in.channels * in.height * in.width;
    return torch::sin(torch::arange(numel, torch::kFloat32) * 0.37f)
        .reshape({rows, in.channels, in.height, in.width})
        .to(device);
}

ModelBundle ModelBundle::load(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        throw ModelError(path + ": no such model file");
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    std::string embeddedMeta;
    impl->module = loadTorchScript(path, embeddedMeta);

    if (!embeddedMeta.empty()) {
        impl->metaSource = "embedded meta.json";
        impl->meta = parseModelMeta(embeddedMeta, path + " (embedded meta.json)");
    } else {
        const auto sidecar = fs::path(path).replace_extension(".json");
        if (!fs::exists(sidecar, ec)) {
            throw ModelError(path + ": has no embedded meta.json and no sidecar " +
                             sidecar.string() +
                             "; the bundle must say its classes and input "
                             "(see models/bundle.py)");
        }
        impl->metaSource = sidecar.string();
        impl->meta = parseModelMeta(readSidecar(sidecar), sidecar.string());
    }
    if (impl->meta.output == OutputKind::LogitsLogvar) {
        throw ModelError(path +
                         ": meta field 'output' is \"logits_logvar\" (heteroscedastic), "
                         "which this version does not run yet");
    }

    for (const auto& item : impl->module.named_modules()) {
        if (isDropoutType(item.value)) {
            impl->dropouts.push_back(item.value);
            impl->dropoutNames.push_back(item.name);
        }
    }

    impl->setMonteCarlo(false);
    const auto probe = impl->probeInput(2);
    try {
        torch::InferenceMode guard;
        checkLogitsShape(impl->forward(probe), 2, impl->meta.classes.size(), path + ": forward");
    } catch (const ModelError&) {
        throw;
    } catch (const std::exception& e) {
        throw ModelError(
            path + ": forward failed on an input of shape " + shapeString(probe) +
            " built from meta.input (channels, height, width): " + torchErrorSummary(e));
    }

    {
        torch::InferenceMode guard;
        impl->stochasticity = checkStochasticity(*impl);
        verifyEncodeHead(*impl);
    }
    impl->setMonteCarlo(false);
    return ModelBundle(std::move(impl));
}

ModelBundle::ModelBundle(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ModelBundle::ModelBundle(ModelBundle&&) noexcept = default;
ModelBundle& ModelBundle::operator=(ModelBundle&&) noexcept = default;
ModelBundle::~ModelBundle() = default;

const ModelMeta& ModelBundle::meta() const {
    return impl_->meta;
}
const std::string& ModelBundle::path() const {
    return impl_->path;
}
std::string ModelBundle::metaSource() const {
    return impl_->metaSource;
}
const std::vector<std::string>& ModelBundle::dropoutModules() const {
    return impl_->dropoutNames;
}
bool ModelBundle::encodeHeadUsable() const {
    return impl_->encodeHeadUsable;
}
const std::string& ModelBundle::encodeHeadNote() const {
    return impl_->encodeHeadNote;
}
const StochasticityReport& ModelBundle::stochasticity() const {
    return impl_->stochasticity;
}

}  // namespace ue
