#include "model/AutoSplit.h"

#include <torch/csrc/jit/passes/inliner.h>

#include <unordered_map>

#include "model/GraphCut.h"
#include "model/ModelBundleImpl.h"

namespace ue {
namespace {

using torch::jit::Graph;
using torch::jit::Node;
using torch::jit::Value;

constexpr const char* kEncodeName = "__ue_auto_encode";
constexpr const char* kHeadName = "__ue_auto_head";

// Copies nodes of one graph into another; `values` maps the source's values to the copy's.
class GraphCopier {
  public:
    explicit GraphCopier(Graph& target) : target_(target) {}

    void map(Value* from, Value* to) { values_[from] = to; }

    Value* lookup(Value* value) {
        const auto found = values_.find(value);
        if (found != values_.end()) {
            return found->second;
        }
        // A constant or attribute read defined on the other side of the cut: read it again.
        if (isModuleConstant(value)) {
            copy(value->node());
            return values_.at(value);
        }
        throw std::runtime_error("value %" + value->debugName() + " crosses the cut");
    }

    void copy(Node* node) {
        for (Value* input : node->inputs()) {
            lookup(input);  // copies what a constant needs before the node itself
        }
        Node* clone =
            target_.insertNode(target_.createClone(node, [this](Value* v) { return lookup(v); }));
        for (std::size_t i = 0; i < node->outputs().size(); ++i) {
            values_[node->output(i)] = clone->output(i);
        }
    }

  private:
    Graph& target_;
    std::unordered_map<Value*, Value*> values_;
};

std::shared_ptr<Graph> encoderGraph(Graph& whole, const GraphCut& cut) {
    auto graph = std::make_shared<Graph>();
    GraphCopier copier(*graph);
    for (std::size_t i = 0; i < 2; ++i) {
        copier.map(whole.inputs()[i], graph->addInput()->copyMetadata(whole.inputs()[i]));
    }
    std::size_t position = 0;
    for (Node* node : whole.nodes()) {
        if (position++ == cut.position) {
            break;
        }
        copier.copy(node);
    }
    graph->registerOutput(copier.lookup(cut.features));
    return graph;
}

std::shared_ptr<Graph> headGraph(Graph& whole, const GraphCut& cut) {
    auto graph = std::make_shared<Graph>();
    GraphCopier copier(*graph);
    copier.map(whole.inputs()[0], graph->addInput()->copyMetadata(whole.inputs()[0]));
    copier.map(cut.features, graph->addInput("features")->setType(cut.features->type()));
    std::size_t position = 0;
    for (Node* node : whole.nodes()) {
        if (position++ >= cut.position) {
            copier.copy(node);
        }
    }
    for (Value* output : whole.outputs()) {
        graph->registerOutput(copier.lookup(output));
    }
    return graph;
}

void addMethod(torch::jit::Module& module, const std::string& name, std::shared_ptr<Graph> graph) {
    graph->lint();
    const auto type = module.type();
    auto* function = type->compilation_unit()->create_function(
        c10::QualifiedName(*type->name(), name), std::move(graph));
    type->addMethod(function);
}

}  // namespace

AutoSplit addAutoSplitMethods(torch::jit::Module& module) {
    AutoSplit split;
    try {
        if (module.find_method(kEncodeName) || module.find_method(kHeadName)) {
            split.whyNot = "the model already has methods named " + std::string(kEncodeName) +
                           " / " + kHeadName;
            return split;
        }
        auto whole = module.get_method("forward").graph()->copy();
        torch::jit::Inline(*whole);
        const auto search = findGraphCut(*whole);
        if (!search.cut) {
            split.whyNot = search.whyNot;
            return split;
        }
        auto encoder = encoderGraph(*whole, *search.cut);
        auto head = headGraph(*whole, *search.cut);
        addMethod(module, kEncodeName, std::move(encoder));
        addMethod(module, kHeadName, std::move(head));
        split.encodeMethod = kEncodeName;
        split.headMethod = kHeadName;
        split.where =
            "after " + search.cut->encoderEnd + "; the head starts at " + search.cut->headStart;
    } catch (const std::exception& e) {
        split.whyNot = "splitting the graph failed (" + torchErrorSummary(e) + ")";
    }
    return split;
}

}  // namespace ue
