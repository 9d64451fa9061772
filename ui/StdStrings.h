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

// Class names (or any strings) from core, for Qt. Not for paths: a name's bytes that are not
// UTF-8 would become U+FFFD (pathText keeps them).
inline QStringList toQStrings(const std::vector<std::string>& names) {
    QStringList out;
    out.reserve(qsizetype(names.size()));
    for (const std::string& name : names) {
        out << QString::fromStdString(name);
    }
    return out;
}

}  // namespace ue::ui
