#pragma once
// Private to core's torch translation units: where an inlined forward graph can be cut into a
// deterministic encoder and a stochastic head.
#include <optional>
#include <string>

#include "TorchIncludes.h"

namespace ue {

// Top-level nodes [0, position) of the graph form the encoder, [position, end) the head.
// `features` is the only value (besides constants and the module's own attributes) that the
// head needs from the encoder.
struct GraphCut {
    std::size_t position = 0;
    torch::jit::Value* features = nullptr;
    std::string encoderEnd;  // e.g. "aten::flatten"
    std::string headStart;   // e.g. "fc.0 (aten::dropout)"
};

struct GraphCutSearch {
    std::optional<GraphCut> cut;
    std::string whyNot;  // when there is no cut, e.g. "the input itself reaches aten::dropout"
};

// `graph` is a method's graph after torch::jit::Inline, with inputs (self, x). Every node that
// is random, or whose effects would happen once instead of T times, must lie in the head; the
// cut is the last point before the first such node that exactly one tensor crosses.
GraphCutSearch findGraphCut(torch::jit::Graph& graph);

// Constants, `self` and attribute reads from it (and lists/tuples of those): the head
// recomputes them itself, so they never count as crossing a cut.
bool isModuleConstant(const torch::jit::Value* value);

}  // namespace ue
