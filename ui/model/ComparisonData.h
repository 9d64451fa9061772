#pragma once
#include <QHash>
#include <QString>
#include <QStringList>
#include <vector>

#include "Metatypes.h"
#include "analysis/MethodComparison.h"

namespace ue::ui {

// What a comparison run has produced so far, per method: core's accumulator (the table row
// and the score distributions) and, for the in-distribution images, each image's summary by
// path, so the selected image can be drawn under every method. No widgets.
class ComparisonData {
  public:
    enum class State { Waiting, Running, Done, Partial, Failed };
    struct Method {
        MethodAccumulator accumulator;
        State state = State::Waiting;
        QString error;
        QHash<QString, int> slotOfPath;  // in-distribution image path -> summaries index
        std::vector<ImageSummary> summaries;
    };

    void begin(const MethodList& methods);
    void setClasses(const QStringList& classes) { classes_ = classes; }
    void add(int method, bool outOfDistribution, const ResultBatch& batch);
    void finishMethod(int method, double seconds, bool cancelled);
    void failMethod(int method, const QString& error);

    const QStringList& classes() const { return classes_; }
    int methodCount() const { return int(methods_.size()); }
    const Method& method(int index) const { return methods_.at(std::size_t(index)); }
    // Rows of the methods that produced results (finished, partial or running), in order.
    std::vector<ComparisonRow> rows() const;
    // Index into methods for each of rows().
    std::vector<int> rowMethods() const;
    // The image's summary under a method, or nullptr when that method has not analysed it.
    const ImageSummary* summary(int method, const QString& path) const;
    static QString stateText(State state);

  private:
    std::vector<Method> methods_;
    QStringList classes_;
};

}  // namespace ue::ui
