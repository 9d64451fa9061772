#pragma once
#include <QString>
#include <QStringList>
#include <ostream>
#include <string>
#include <vector>

#include "engine/McEngine.h"
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

// Every sample's probabilities of the given rows (path, pass, p_<class>...; with columns for
// the copies, members and logit draws the run had, as core's RawSamplesCsv writes them).
QString writeRawSamplesCsv(const ResultsModel& results, const std::vector<int>& rows,
                           const QString& path, SampleAxes axes = {});

}  // namespace ue::ui
