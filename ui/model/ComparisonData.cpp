#include "model/ComparisonData.h"
#include "model/PathText.h"

#include <QObject>

namespace ue::ui {

void ComparisonData::begin(const MethodList& methods) {
    methods_.clear();
    for (const MethodSpec& spec : methods) {
        Method method;
        method.accumulator = MethodAccumulator(spec);
        methods_.push_back(std::move(method));
    }
}

void ComparisonData::add(int index, bool outOfDistribution, const ResultBatch& batch) {
    if (index < 0 || index >= methodCount()) {
        return;
    }
    Method& method = methods_[std::size_t(index)];
    method.state = State::Running;
    for (const ImageResult& result : batch) {
        if (!result.ok) {
            continue;
        }
        if (outOfDistribution) {
            method.accumulator.addOut(result.index, result.summary);
            continue;
        }
        method.accumulator.add(result.index, result.summary, result.label);
        method.slotOfPath.insert(pathText(result.path), int(method.summaries.size()));
        method.summaries.push_back(result.summary);
    }
}

void ComparisonData::finishMethod(int index, double seconds, bool cancelled) {
    if (index >= 0 && index < methodCount()) {
        Method& method = methods_[std::size_t(index)];
        method.accumulator.addRun(seconds, cancelled);
        method.state = cancelled ? State::Partial : State::Done;
    }
}

void ComparisonData::failMethod(int index, const QString& error) {
    if (index >= 0 && index < methodCount()) {
        methods_[std::size_t(index)].state = State::Failed;
        methods_[std::size_t(index)].error = error;
    }
}

std::vector<ComparisonRow> ComparisonData::rows() const {
    std::vector<ComparisonRow> rows;
    for (int index : rowMethods()) {
        rows.push_back(methods_[std::size_t(index)].accumulator.result());
    }
    return rows;
}

std::vector<int> ComparisonData::rowMethods() const {
    std::vector<int> indices;
    for (int i = 0; i < methodCount(); ++i) {
        const State state = methods_[std::size_t(i)].state;
        if (state == State::Running || state == State::Done || state == State::Partial) {
            indices.push_back(i);
        }
    }
    return indices;
}

const ImageSummary* ComparisonData::summary(int index, const QString& path) const {
    if (index < 0 || index >= methodCount()) {
        return nullptr;
    }
    const Method& method = methods_[std::size_t(index)];
    const auto slot = method.slotOfPath.constFind(path);
    return slot == method.slotOfPath.constEnd() ? nullptr : &method.summaries[std::size_t(*slot)];
}

QString ComparisonData::stateText(State state) {
    switch (state) {
        case State::Waiting:
            return QObject::tr("waiting");
        case State::Running:
            return QObject::tr("running");
        case State::Done:
            return QObject::tr("done");
        case State::Partial:
            return QObject::tr("cancelled (partial)");
        case State::Failed:
            return QObject::tr("failed");
    }
    return {};
}

}  // namespace ue::ui
