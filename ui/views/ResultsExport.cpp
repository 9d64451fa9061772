#include "views/ResultsExport.h"

#include "io/AtomicFile.h"
#include "io/ResultsCsv.h"
#include "model/ResultsModel.h"

namespace ue::ui {

QString writeResultsCsv(const ResultsModel& results, const QString& path) {
    return writeAtomically(path, [&](std::ostream& out) {
        ResultsCsv csv(out, toStdStrings(results.classes()), results.thresholds());
        for (int row = 0; row < results.rowCount(); ++row) {
            if (const ImageResult* result = results.result(row)) {
                csv.write(*result);
            }
        }
    });
}

QString writeRawSamplesCsv(const ResultsModel& results, const std::vector<int>& rows,
                           const QString& path, SampleAxes axes) {
    for (int row : rows) {
        const ImageResult* result = results.result(row);
        if (result && result->ok && result->rawSamples.empty()) {
            return QObject::tr(
                "The raw samples of this run were not kept (too many images x "
                "passes to hold in memory); use the CLI's --raw-out.");
        }
    }
    if (rows.empty()) {
        return QObject::tr("Select one or more analysed images first.");
    }
    return writeAtomically(path, [&](std::ostream& out) {
        RawSamplesCsv csv(out, toStdStrings(results.classes()), axes);
        for (int row : rows) {
            if (const ImageResult* result = results.result(row)) {
                csv.write(*result);
            }
        }
    });
}

}  // namespace ue::ui
