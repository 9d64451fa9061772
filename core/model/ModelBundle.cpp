#include "model/ModelBundle.h"

#include <filesystem>

#include "Error.h"
#include "io/SmallTextFile.h"
#include "model/EnsembleManifest.h"
#include "model/ModelBundleImpl.h"

namespace ue {
namespace fs = std::filesystem;

namespace {

// A model path must name a regular file: a folder, a pipe or a device (which would block or
// never end) is refused with what it is.
void requireModelFile(const std::string& path) {
    const RegularFileCheck check = checkRegularFile(path);
    if (check.problem == RegularFileCheck::Problem::Missing) {
        throw ModelError(path + ": no such model file");
    }
    if (check.problem != RegularFileCheck::Problem::None) {
        throw ModelError(path + ": cannot open model file: " + check.why);
    }
}

// Loads one TorchScript file with its meta (embedded, else the sidecar) and checks it.
MemberModel loadMember(const std::string& path, std::string& metaSource) {
    requireModelFile(path);
    MemberModel member;
    member.path = path;
    std::string embeddedMeta;
    loadMemberModule(member, embeddedMeta);
    if (!embeddedMeta.empty()) {
        metaSource = "embedded meta.json";
        member.meta = parseModelMeta(embeddedMeta, path + " (embedded meta.json)");
    } else {
        const auto sidecar = fs::path(path).replace_extension(".json");
        std::error_code ec;
        if (!fs::exists(sidecar, ec)) {
            throw ModelError(path + ": has no embedded meta.json and no sidecar " +
                             sidecar.string() +
                             "; the bundle must say its classes and input "
                             "(see models/bundle.py)");
        }
        metaSource = sidecar.string();
        member.meta =
            parseModelMeta(readSmallTextFileOr<ModelError>(sidecar.string(), kMaxMetaBytes, "meta"),
                           sidecar.string());
    }
    checkMemberModel(member);
    return member;
}

bool sameInput(const InputSpec& a, const InputSpec& b) {
    return a.channels == b.channels && a.height == b.height && a.width == b.width &&
           a.mean == b.mean && a.std == b.std && a.resize == b.resize;
}

// Members are averaged class by class over the same preprocessed input, so they must agree.
void checkMemberAgrees(const MemberModel& member, const MemberModel& first,
                       const std::string& manifest) {
    const auto disagree = [&](const std::string& field) {
        return ModelError(manifest + ": member " + member.path + " differs from " + first.path +
                          " in meta field '" + field +
                          "'; an ensemble's members must share classes, input and output");
    };
    if (member.meta.classes != first.meta.classes) {
        throw disagree("classes");
    }
    if (!sameInput(member.meta.input, first.meta.input)) {
        throw disagree("input");
    }
    if (member.meta.output != first.meta.output) {
        throw disagree("output");
    }
}

// What the whole bundle says, from its members.
void combineMembers(ModelBundle::Impl& impl) {
    impl.encodeHeadUsable = true;
    impl.cpuFrozen = {true, true, ""};
    impl.stochasticity = {};
    for (const auto& member : impl.members) {
        impl.memberPaths.push_back(member.path);
        const auto& report = member.stochasticity;
        impl.stochasticity.passesDiffer |= report.passesDiffer;
        impl.stochasticity.maxAbsDifference =
            std::max(impl.stochasticity.maxAbsDifference, report.maxAbsDifference);
        impl.stochasticity.encoderDeterministic &= report.encoderDeterministic;
        impl.encodeHeadUsable &= member.encodeHeadUsable;
        const auto& frozen = member.cpuFrozen;
        impl.cpuFrozen.forward &= frozen && frozen->forwardUsable;
        impl.cpuFrozen.encoder &= frozen && frozen->encodeUsable;
        if (impl.cpuFrozen.note.empty() && !member.cpuFrozenNote.empty()) {
            impl.cpuFrozen.note = impl.isEnsemble ? fs::path(member.path).filename().string() +
                                                        ": " + member.cpuFrozenNote
                                                  : member.cpuFrozenNote;
        }
        if (impl.encodeHeadNote.empty() && !member.encodeHeadNote.empty()) {
            impl.encodeHeadNote = impl.isEnsemble ? fs::path(member.path).filename().string() +
                                                        ": " + member.encodeHeadNote
                                                  : member.encodeHeadNote;
        }
    }
}

}  // namespace

ModelBundle ModelBundle::load(const std::string& path) {
    requireModelFile(path);
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    if (looksLikeEnsembleManifest(path)) {
        const auto manifest = loadEnsembleManifest(path);
        impl->isEnsemble = true;
        impl->metaSource = "ensemble manifest";
        for (const auto& memberPath : manifest.memberPaths) {
            std::string ignored;
            impl->members.push_back(loadMember(memberPath, ignored));
            checkMemberAgrees(impl->members.back(), impl->members.front(), path);
        }
        impl->meta = impl->members.front().meta;
        impl->meta.name = manifest.name;
        impl->meta.description = manifest.description;
    } else {
        impl->members.push_back(loadMember(path, impl->metaSource));
        impl->meta = impl->members.front().meta;
    }
    combineMembers(*impl);
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
bool ModelBundle::isEnsemble() const {
    return impl_->isEnsemble;
}
const std::vector<std::string>& ModelBundle::memberPaths() const {
    return impl_->memberPaths;
}
const std::vector<std::string>& ModelBundle::dropoutModules() const {
    return impl_->members.front().dropoutNames;
}
bool ModelBundle::hasStochasticForward() const {
    for (const auto& member : impl_->members) {
        if (member.stochasticity.passesDiffer && member.dropouts.empty()) {
            return true;
        }
    }
    return false;
}
bool ModelBundle::encodeHeadUsable() const {
    return impl_->encodeHeadUsable;
}

const CpuFrozenUse& ModelBundle::cpuFrozen() const {
    return impl_->cpuFrozen;
}
EncodeHeadSource ModelBundle::encodeHeadSource() const {
    return impl_->members.front().encodeHeadSource;
}
const std::string& ModelBundle::encodeHeadNote() const {
    return impl_->encodeHeadNote;
}
const StochasticityReport& ModelBundle::stochasticity() const {
    return impl_->stochasticity;
}

std::string describeModelKind(const ModelBundle& bundle) {
    std::string kind;
    if (bundle.isEnsemble()) {
        kind = "deep ensemble of " + std::to_string(bundle.memberPaths().size()) + " members";
    }
    const auto add = [&kind](const std::string& part) {
        kind += (kind.empty() ? "" : ", ") + part;
    };
    if (bundle.meta().output == OutputKind::LogitsLogvar) {
        add("heteroscedastic (logits + log variance)");
    }
    if (bundle.hasStochasticForward()) {
        add("stochastic forward (weights sampled every pass)");
    } else if (!bundle.dropoutModules().empty() && bundle.stochasticity().passesDiffer) {
        add("MC dropout");
    }
    return kind.empty() ? "deterministic" : kind;
}

std::string describeEncodeHead(const ModelBundle& bundle) {
    const auto& meta = bundle.meta();
    const auto& note = bundle.encodeHeadNote();
    switch (bundle.encodeHeadSource()) {
        case EncodeHeadSource::Declared:
            if (!bundle.encodeHeadUsable()) {
                return meta.encodeMethod + " / " + meta.headMethod + ": " + note;
            }
            return meta.encodeMethod + " / " + meta.headMethod +
                   ": verified, the encoder runs once per image";
        case EncodeHeadSource::Automatic:
            if (!bundle.encodeHeadUsable()) {
                return note;
            }
            return "not exported, found automatically in the graph (" +
                   bundle.impl().members.front().encodeHeadWhere +
                   ") and verified against forward: the encoder runs once per image";
        case EncodeHeadSource::None:
            break;
    }
    return "not exported, and the graph has no cut: " + note +
           "; every Monte Carlo pass runs the whole model";
}

std::string describeCpuFrozen(const ModelBundle& bundle) {
    const auto& frozen = bundle.cpuFrozen();
    const bool encoder = frozen.encoder && bundle.encodeHeadUsable();
    std::string calls;
    if (frozen.forward && encoder) {
        calls = "deterministic passes and the encoder";
    } else if (frozen.forward) {
        calls = "deterministic passes";
    } else if (encoder) {
        calls = "the encoder";
    } else {
        return "runs as scripted (" + frozen.note + ")";
    }
    return "a frozen copy compiled to oneDNN kernels runs " + calls +
           (frozen.note.empty() ? "" : " (" + frozen.note + ")") +
           "; Monte Carlo passes run the model as scripted";
}

}  // namespace ue
