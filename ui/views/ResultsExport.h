#pragma once
#include <QString>
#include <QStringList>
#include <ostream>
#include <string>
#include <vector>

#include "StdStrings.h"
#include "WriteAtomically.h"
#include "engine/McEngine.h"

namespace ue::ui {

class ResultsModel;

// The results table as the CLI writes it (same columns, same CSV rules), written atomically.
// Returns an empty string on success, else the error.
QString writeResultsCsv(const ResultsModel& results, const QString& path);

// Every sample's probabilities of the given rows (path, pass, p_<class>...; with columns for
// the copies, members and logit draws the run had, as core's RawSamplesCsv writes them).
QString writeRawSamplesCsv(const ResultsModel& results, const std::vector<int>& rows,
                           const QString& path, SampleAxes axes = {});

}  // namespace ue::ui
