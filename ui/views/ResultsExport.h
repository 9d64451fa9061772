#pragma once
#include <QString>
#include <QStringList>
#include <ostream>
#include <string>
#include <vector>

#include "io/AtomicFile.h"

namespace ue::ui {

class ResultsModel;

// Class names (or any strings) as core takes them.
std::vector<std::string> toStdStrings(const QStringList& names);

// Runs write(stream) into a temporary file next to `path` and renames it over `path` only when
// everything was written. Returns an empty string on success, else the error.
template <typename Write>
QString writeAtomically(const QString& path, Write write) {
    try {
        AtomicFile file(path.toStdString());
        write(file.stream());
        file.commit();
        return {};
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
}

// The results table as the CLI writes it (same columns, same CSV rules), written atomically.
// Returns an empty string on success, else the error.
QString writeResultsCsv(const ResultsModel& results, const QString& path);

// Every pass's probabilities of the given rows (path, pass, p_<class>...; with `copies` > 1,
// from a run with test-time augmentation, path, copy, pass, p_<class>...).
QString writeRawSamplesCsv(const ResultsModel& results, const std::vector<int>& rows,
                           const QString& path, int copies = 1);

}  // namespace ue::ui
