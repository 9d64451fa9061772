#include "engine/HashedDropout.h"

#include <torch/csrc/jit/api/function_impl.h>

#include <algorithm>
#include <optional>

#include "engine/DropoutMasks.h"

namespace ue {
namespace {

using torch::jit::Block;
using torch::jit::Node;

thread_local DropoutStreamsScope* activeScope = nullptr;

const c10::Symbol kHashedDropout = c10::Symbol::fromQualString("ue::dropout");
const c10::Symbol kHashedDropoutInPlace = c10::Symbol::fromQualString("ue::dropout_");
const c10::Symbol kHashedFeatureDropout = c10::Symbol::fromQualString("ue::feature_dropout");
const c10::Symbol kHashedFeatureDropoutInPlace =
    c10::Symbol::fromQualString("ue::feature_dropout_");

// The scope that governs a call on `input`, if any: one with a pass key per row.
DropoutStreamsScope* scopeFor(const at::Tensor& input, bool train) {
    if (!train || !activeScope || input.dim() < 1 ||
        input.size(0) != static_cast<int64_t>(activeScope->passKeys().size())) {
        return nullptr;
    }
    return activeScope;
}

// Row r of the input holds `groups` groups of `inner` values (inner > 1 for feature dropout:
// one draw per channel); the group's draw scales all its values.
struct RowLayout {
    int64_t rows = 0;
    int64_t groups = 0;
    int64_t inner = 1;
};

RowLayout layoutOf(const at::Tensor& input, bool perFeature) {
    RowLayout layout;
    layout.rows = input.size(0);
    const int64_t perRow = layout.rows ? input.numel() / layout.rows : 0;
    layout.groups = perFeature && input.dim() >= 2 ? input.size(1) : perRow;
    layout.inner = layout.groups ? perRow / layout.groups : 1;
    return layout;
}

// Writes source * mask into target (which may be source), row by row; passKeys[r] is row r's.
void applyMasks(const float* source, float* target, const RowLayout& layout,
                const std::uint64_t* passKeys, std::uint64_t layer, DropoutScale scale) {
    const int64_t rowSize = layout.groups * layout.inner;
    const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, rowSize));
    at::parallel_for(0, layout.rows, grain, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const std::uint64_t key = dropoutLayerKey(passKeys[r], layer);
            const float* in = source + r * rowSize;
            float* out = target + r * rowSize;
            if (layout.inner == 1) {
                for (int64_t j = 0; j < layout.groups; ++j) {
                    const bool kept = dropoutBits(key, std::uint32_t(j)) >= scale.keepFrom;
                    out[j] = in[j] * (kept ? scale.keptScale : 0.0F);
                }
                continue;
            }
            for (int64_t g = 0; g < layout.groups; ++g) {
                const bool kept = dropoutBits(key, std::uint32_t(g)) >= scale.keepFrom;
                const float factor = kept ? scale.keptScale : 0.0F;
                for (int64_t k = 0; k < layout.inner; ++k) {
                    out[g * layout.inner + k] = in[g * layout.inner + k] * factor;
                }
            }
        }
    });
}

// The masks of at most this many elements exist at once on the way to another device (16 MB):
// a GPU batch may hold 2^20 rows of a 2048-wide head, whose masks in one piece took 8 GB.
constexpr int64_t kMaskChunkElements = int64_t(1) << 22;

// Inputs that are not contiguous float32 on the CPU (a GPU's, a bf16 one, a strided view): the
// same masks, made here a chunk of rows at a time and multiplied where the input is.
at::Tensor maskedElsewhere(const at::Tensor& input, const RowLayout& layout, bool perFeature,
                           const std::uint64_t* passKeys, std::uint64_t layer, DropoutScale scale) {
    auto output = at::empty_like(input);
    const int64_t chunkRows =
        std::max<int64_t>(1, kMaskChunkElements / std::max<int64_t>(1, layout.groups));
    for (int64_t begin = 0; begin < layout.rows; begin += chunkRows) {
        const int64_t rows = std::min(chunkRows, layout.rows - begin);
        auto ones = at::ones({rows, layout.groups}, at::kFloat);
        applyMasks(ones.data_ptr<float>(), ones.data_ptr<float>(), {rows, layout.groups, 1},
                   passKeys + begin, layer, scale);
        std::vector<int64_t> maskShape = input.sizes().vec();
        maskShape[0] = rows;
        if (perFeature && input.dim() >= 2) {
            std::fill(maskShape.begin() + 2, maskShape.end(), 1);
        }
        output.narrow(0, begin, rows)
            .copy_(input.narrow(0, begin, rows) * ones.view(maskShape).to(input.options()));
    }
    return output;
}

at::Tensor hashedDropout(const at::Tensor& input, double p, bool perFeature,
                         DropoutStreamsScope& scope) {
    const RowLayout layout = layoutOf(input, perFeature);
    const DropoutScale scale = dropoutScale(p);
    const std::uint64_t layer = scope.takeLayer();
    if (input.device().is_cpu() && input.scalar_type() == at::kFloat && input.is_contiguous()) {
        auto output = at::empty_like(input);
        applyMasks(input.data_ptr<float>(), output.data_ptr<float>(), layout,
                   scope.passKeys().data(), layer, scale);
        return output;
    }
    return maskedElsewhere(input, layout, perFeature, scope.passKeys().data(), layer, scale);
}

at::Tensor dropoutOp(const at::Tensor& input, double p, bool train) {
    auto* scope = scopeFor(input, train);
    return scope ? hashedDropout(input, p, false, *scope) : at::dropout(input, p, train);
}

at::Tensor dropoutInPlaceOp(at::Tensor self, double p, bool train) {
    auto* scope = scopeFor(self, train);
    return scope ? self.copy_(hashedDropout(self, p, false, *scope)) : at::dropout_(self, p, train);
}

at::Tensor featureDropoutOp(const at::Tensor& input, double p, bool train) {
    auto* scope = scopeFor(input, train);
    return scope ? hashedDropout(input, p, true, *scope) : at::feature_dropout(input, p, train);
}

at::Tensor featureDropoutInPlaceOp(at::Tensor self, double p, bool train) {
    auto* scope = scopeFor(self, train);
    return scope ? self.copy_(hashedDropout(self, p, true, *scope))
                 : at::feature_dropout_(self, p, train);
}

std::optional<c10::Symbol> hashedReplacement(c10::Symbol kind) {
    if (kind == c10::aten::dropout) {
        return kHashedDropout;
    }
    if (kind == c10::aten::dropout_) {
        return kHashedDropoutInPlace;
    }
    if (kind == c10::aten::feature_dropout) {
        return kHashedFeatureDropout;
    }
    if (kind == c10::aten::feature_dropout_) {
        return kHashedFeatureDropoutInPlace;
    }
    return std::nullopt;
}

int replaceInBlock(Block* block) {
    int replaced = 0;
    for (auto it = block->nodes().begin(); it != block->nodes().end();) {
        Node* node = *it;
        ++it;
        for (Block* inner : node->blocks()) {
            replaced += replaceInBlock(inner);
        }
        const auto replacement = hashedReplacement(node->kind());
        if (!replacement || node->outputs().size() != 1) {
            continue;
        }
        Node* hashed = block->owningGraph()->create(*replacement, node->inputs(), 1);
        hashed->copyMetadata(node);
        hashed->insertBefore(node);
        hashed->output()->copyMetadata(node->output());
        node->output()->replaceAllUsesWith(hashed->output());
        node->destroy();
        ++replaced;
    }
    return replaced;
}

}  // namespace

// Conservative alias analysis (which also covers the in-place variants writing their input, as
// annotations would) makes the JIT treat the ops as having side effects: it neither
// merges two identical calls (two layers must draw two masks) nor drops an unused one (the layer
// count must not depend on what the optimiser removed).
TORCH_LIBRARY(ue, library) {
    constexpr auto conservative = c10::AliasAnalysisKind::CONSERVATIVE;
    library.def(
        torch::schema("ue::dropout(Tensor input, float p, bool train) -> Tensor", conservative),
        &dropoutOp);
    library.def(
        torch::schema("ue::dropout_(Tensor self, float p, bool train) -> Tensor", conservative),
        &dropoutInPlaceOp);
    library.def(torch::schema("ue::feature_dropout(Tensor input, float p, bool train) -> Tensor",
                              conservative),
                &featureDropoutOp);
    library.def(torch::schema("ue::feature_dropout_(Tensor self, float p, bool train) -> Tensor",
                              conservative),
                &featureDropoutInPlaceOp);
}

int useHashedDropout(torch::jit::Module& module) {
    int replaced = 0;
    for (torch::jit::Function* function : module._ivalue()->compilation_unit()->get_functions()) {
        if (auto* graphFunction = torch::jit::tryToGraphFunction(*function)) {
            replaced += replaceInBlock(graphFunction->graph()->block());
        }
    }
    return replaced;
}

DropoutStreamsScope::DropoutStreamsScope(std::vector<std::uint64_t> passKeys)
    : passKeys_(std::move(passKeys)), outer_(activeScope) {
    activeScope = this;
}

DropoutStreamsScope::~DropoutStreamsScope() {
    activeScope = outer_;
}

}  // namespace ue
