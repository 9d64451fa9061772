#pragma once
#include <QStringList>
#include <string>
#include <vector>

namespace ue::ui {

// Class names (or any strings) as core takes them.
inline std::vector<std::string> toStdStrings(const QStringList& names) {
    std::vector<std::string> out;
    out.reserve(std::size_t(names.size()));
    for (const QString& name : names) {
        out.push_back(name.toStdString());
    }
    return out;
}

}  // namespace ue::ui
