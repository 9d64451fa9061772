#pragma once
// Private to core's torch translation units: encode/head for a model that does not export them.
#include <string>

#include "TorchIncludes.h"

namespace ue {

struct AutoSplit {
    std::string encodeMethod;  // empty when forward has no usable cut
    std::string headMethod;
    std::string where;   // "after aten::flatten; the head starts at fc.0 (aten::dropout)"
    std::string whyNot;  // when there is no split
};

// Inlines a copy of `module`'s forward, looks for a cut (see GraphCut.h) and adds the two
// halves to the module's class as methods. Whether head(encode(x)) reproduces forward(x) is the
// caller's check, as for declared methods. Never throws: a failure is a reason in whyNot.
AutoSplit addAutoSplitMethods(torch::jit::Module& module);

}  // namespace ue
