#include "io/ConformalCsv.h"

#include <algorithm>

namespace ue {

ConformalSetsCsv::ConformalSetsCsv(std::ostream& out, std::vector<std::string> classes)
    : csv_(out), classes_(std::move(classes)) {
    csv_.header({"path", "label", "method", "qhat", "set", "set_size", "covered"});
}

void ConformalSetsCsv::write(const std::string& path, int label, ConformalMethod method,
                             double qhat, const std::vector<int>& set) {
    std::string names;
    for (int cls : set) {
        names += (names.empty() ? "" : "|") + classes_[std::size_t(cls)];
    }
    const bool labelled = label >= 0 && std::size_t(label) < classes_.size();
    csv_.text(path)
        .text(labelled ? classes_[std::size_t(label)] : std::string())
        .text(toString(method))
        .number(qhat)
        .text(names)
        .integer((long long)set.size());
    if (labelled) {
        csv_.integer(std::find(set.begin(), set.end(), label) != set.end() ? 1 : 0);
    } else {
        csv_.empty();
    }
    csv_.endRow();
}

}  // namespace ue
