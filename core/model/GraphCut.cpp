#include "model/GraphCut.h"

#include <array>
#include <deque>
#include <unordered_map>

#include "model/ModelBundleImpl.h"

namespace ue {
namespace {

using torch::jit::Block;
using torch::jit::Graph;
using torch::jit::Node;
using torch::jit::Value;
namespace prim = c10::prim;

// Random ops by name, on top of LibTorch's own list (Node::isNondeterministic): generous on
// purpose, since an op wrongly taken for random only costs speed, the other way round the
// samples would all share one draw.
bool hasRandomName(const Node* node) {
    if (!node->kind().is_aten()) {
        return false;
    }
    const std::string name = node->kind().toUnqualString();
    // Not "sample": upsample_* and grid_sampler are deterministic.
    static const std::array<const char*, 10> parts = {
        "dropout", "rand",    "bernoulli", "normal",   "multinomial",
        "poisson", "uniform", "rrelu",     "binomial", "dirichlet"};
    for (const char* part : parts) {
        if (name.find(part) != std::string::npos) {
            return true;
        }
    }
    static const std::array<const char*, 6> exact = {"exponential_", "geometric_",      "cauchy_",
                                                     "log_normal_",  "_standard_gamma", "random_"};
    for (const char* op : exact) {
        if (name == op) {
            return true;
        }
    }
    return false;
}

bool isRaiseOrWarn(const Node* node) {
    return node->kind() == prim::RaiseException || node->kind() == c10::aten::warn;
}

bool isGraphInput(const Value* value) {
    return value->node() == value->owningGraph()->param_node();
}

// `self.training` of a module other than a Dropout: the engine keeps those modules in eval
// mode, so a branch on it never runs (BatchNorm counts its batches there).
bool isTrainingFlagOfNonDropout(const Value* condition) {
    const Node* node = condition->node();
    if (node->kind() != prim::GetAttr || node->s(c10::attr::name) != "training") {
        return false;
    }
    const auto owner = node->input()->type()->cast<c10::ClassType>();
    return owner && !isDropoutType(owner);
}

bool runsOnlyInTraining(const Node* node) {
    for (const Block* block = node->owningBlock(); block->owningNode();
         block = block->owningNode()->owningBlock()) {
        const Node* owner = block->owningNode();
        if (owner->kind() == prim::If && block == owner->blocks()[0] &&
            isTrainingFlagOfNonDropout(owner->input(0))) {
            return true;
        }
    }
    return false;
}

// Writes the module's own state or the caller's input: done once by a cached encoder instead
// of once per pass, so it must stay in the head.
bool writesSharedState(const Node* node) {
    const auto* schema = node->maybeSchema();
    if (!schema) {
        return false;
    }
    const auto& arguments = schema->arguments();
    for (std::size_t i = 0; i < arguments.size() && i < node->inputs().size(); ++i) {
        const auto* alias = arguments[i].alias_info();
        if (alias && alias->isWrite() &&
            (isModuleConstant(node->input(i)) || isGraphInput(node->input(i)))) {
            return !runsOnlyInTraining(node);
        }
    }
    return false;
}

bool mustRunEveryPass(const Node* node) {
    if (node->isNondeterministic() || hasRandomName(node)) {
        return true;
    }
    if (node->hasSideEffects() && !isRaiseOrWarn(node)) {
        return true;  // prints, attribute writes, calls that could not be inlined, unknown ops
    }
    return writesSharedState(node);
}

// The first node in `node`'s subtree (itself included) that must run every pass.
const Node* firstEveryPassNode(const Node* node) {
    if (mustRunEveryPass(node)) {
        return node;
    }
    for (const Block* block : node->blocks()) {
        for (const Node* inner : block->nodes()) {
            if (const Node* found = firstEveryPassNode(inner)) {
                return found;
            }
        }
    }
    return nullptr;
}

// "fc.0" for a node reading fc.0's attributes (the submodule it belongs to), else "".
std::string modulePathOf(const Node* node) {
    for (const Value* input : node->inputs()) {
        std::deque<std::string> names;
        const Value* value = input;
        while (value->node()->kind() == prim::GetAttr) {
            names.push_front(value->node()->s(c10::attr::name));
            value = value->node()->input();
        }
        if (names.empty() || !isGraphInput(value)) {
            continue;
        }
        const auto type = input->type()->cast<c10::ClassType>();
        if (!(type && type->is_module())) {
            names.pop_back();  // a parameter or flag: name its module
        }
        std::string path;
        for (const auto& name : names) {
            path += (path.empty() ? "" : ".") + name;
        }
        if (!path.empty()) {
            return path;
        }
    }
    return {};
}

std::string describe(const Node* node) {
    if (const Node* inner = firstEveryPassNode(node)) {
        node = inner;  // a dropout inside an `if inplace:` names the dropout, not the if
    }
    // The hashed dropout that replaced it on load (HashedDropout.h) under the name the user's
    // graph gave it.
    const std::string op = node->kind().ns() == c10::Symbol::fromQualString("namespaces::ue")
                               ? std::string("aten::") + node->kind().toUnqualString()
                               : node->kind().toQualString();
    const auto path = modulePathOf(node);
    return path.empty() ? op : path + " (" + op + ")";
}

const Node* topLevelNodeOf(const Node* node, const Block* top) {
    while (node->owningBlock() != top) {
        node = node->owningBlock()->owningNode();
    }
    return node;
}

}  // namespace

bool isModuleConstant(const Value* value) {
    const Node* node = value->node();
    if (isGraphInput(value)) {
        const auto type = value->type()->cast<c10::ClassType>();
        return type && type->is_module();
    }
    return node->kind() == prim::Constant ||
           (node->kind() == prim::GetAttr && isModuleConstant(node->input()));
}

GraphCutSearch findGraphCut(Graph& graph) {
    if (graph.inputs().size() != 2) {
        return {std::nullopt,
                "forward takes " + std::to_string(graph.inputs().size() - 1) + " arguments"};
    }
    const Block* top = graph.block();
    std::vector<const Node*> nodes(top->nodes().begin(), top->nodes().end());
    const std::size_t end = nodes.size();  // the return node's position
    std::unordered_map<const Node*, std::size_t> position;
    std::size_t firstEveryPass = end;
    for (std::size_t i = 0; i < end; ++i) {
        position[nodes[i]] = i;
        if (firstEveryPass == end && firstEveryPassNode(nodes[i])) {
            firstEveryPass = i;
        }
    }
    position[top->return_node()] = end;
    if (firstEveryPass == end) {
        return {std::nullopt, "the graph has no dropout or other random op to sample"};
    }

    // Where each value is defined (inputs at 0) and last used, by top-level position; a use
    // inside an if/loop counts at that if/loop.
    struct Span {
        const Value* value;
        std::size_t defined;  // the first position after its definition
        std::size_t lastUse;
    };
    std::vector<Span> spans;
    const auto addSpan = [&](const Value* value, std::size_t defined) {
        if (isModuleConstant(value) || value->uses().empty()) {
            return;
        }
        std::size_t lastUse = 0;
        for (const auto& use : value->uses()) {
            lastUse = std::max(lastUse, position.at(topLevelNodeOf(use.user, top)));
        }
        spans.push_back({value, defined, lastUse});
    };
    for (const Value* input : graph.inputs()) {
        addSpan(input, 0);
    }
    for (std::size_t i = 0; i < end; ++i) {
        for (const Value* output : nodes[i]->outputs()) {
            addSpan(output, i + 1);
        }
    }

    const Value* input = graph.inputs()[1];
    for (std::size_t cut = firstEveryPass; cut > 0; --cut) {
        std::vector<const Value*> crossing;
        for (const auto& span : spans) {
            if (span.defined <= cut && cut <= span.lastUse) {
                crossing.push_back(span.value);
            }
        }
        if (crossing.size() == 1 && crossing.front() != input &&
            crossing.front()->type()->isSubtypeOf(*c10::TensorType::get())) {
            GraphCut found;
            found.position = cut;
            found.features = const_cast<Value*>(crossing.front());
            found.encoderEnd = describe(found.features->node());
            for (std::size_t i = cut; i < end; ++i) {
                const auto kind = nodes[i]->kind();
                if (kind != prim::Constant && kind != prim::GetAttr) {
                    found.headStart = describe(nodes[i]);
                    break;
                }
            }
            return {found, {}};
        }
    }
    const auto first = describe(nodes[firstEveryPass]);
    for (const auto& span : spans) {
        if (span.value == input && span.lastUse >= firstEveryPass) {
            return {std::nullopt, "the input itself reaches " + first +
                                      ", as with dropout at the input or a skip connection "
                                      "around the dropout"};
        }
    }
    return {std::nullopt, "no single tensor carries what " + first +
                              " and the rest need: two or more values cross every cut before "
                              "it, as with dropout inside one of two branches"};
}

}  // namespace ue
