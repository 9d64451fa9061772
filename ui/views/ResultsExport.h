#pragma once
#include <QString>
#include <vector>

namespace ue::ui {

class ResultsModel;

// The results table as the CLI writes it (same columns, same CSV rules), written atomically.
// Returns an empty string on success, else the error.
QString writeResultsCsv(const ResultsModel& results, const QString& path);

// Every pass's probabilities of the given rows (path, pass, p_<class>...).
QString writeRawSamplesCsv(const ResultsModel& results, const std::vector<int>& rows,
                           const QString& path);

}  // namespace ue::ui
