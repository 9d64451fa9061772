#include "CalibrationCommand.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

#include "data/FolderScan.h"
#include "io/AtomicFile.h"
#include "io/ConsoleProgress.h"
#include "io/CsvWriter.h"
#include "metrics/Calibration.h"
#include "model/ModelBundle.h"

namespace ue::cli {
namespace {

void writeBins(CsvWriter& csv, const char* scheme, const std::vector<ReliabilityBin>& bins) {
    for (std::size_t b = 0; b < bins.size(); ++b) {
        const ReliabilityBin& bin = bins[b];
        csv.text(scheme)
            .integer((long long)b)
            .number(bin.lower)
            .number(bin.upper)
            .integer((long long)bin.count);
        if (bin.count > 0) {
            csv.number(bin.meanConfidence).number(bin.accuracy);
        } else {
            csv.empty().empty();
        }
        csv.endRow();
    }
}

}  // namespace

CLI::App* CalibrationCommand::add(CLI::App& app) {
    auto* command = app.add_subcommand(
        "calibration",
        "Calibration (reliability bins, ECE equal-width and equal-mass, NLL, Brier) and "
        "selective prediction (risk-coverage curve and AURC of every score) on labelled images");
    command->add_option("-m,--model", model, "Model bundle")->required();
    command->add_option("-i,--input", inputs, "Labelled images (class-named folders)");
    command
        ->add_option("--results", results,
                     "Instead of --input: results CSVs from `analyze` or `merge` (no inference)")
        ->excludes("--input");
    runArgs.addTo(command);
    command->add_option("--bins", bins, "Reliability bins")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    command
        ->add_option("-o,--out", out,
                     "Reliability CSV: scheme,bin,lower,upper,count,mean_confidence,accuracy")
        ->required();
    command->add_option("--risk-coverage", riskCoverageOut,
                        "Risk-coverage CSV: score,coverage,risk (one row per kept-image count)");
    command->add_option("--scores-out", scoresOut,
                        "Per-score CSV: score,aurc,optimal_aurc,excess_aurc");
    command->add_flag("-q,--quiet", quiet, "No progress bar");
    return command;
}

int CalibrationCommand::run() const {
    if (inputs.empty() == results.empty()) {
        std::cerr << "error: calibration needs --input (images to run) or --results (finished "
                     "results)\n";
        return kExitCannotRun;
    }
    checkResultsFiles({{"--results", &results}});
    const auto bundle = ModelBundle::load(model);
    runArgs.warnIgnored(bundle, results.empty() ? "" : "--results");
    AtomicFile reliabilityFile(out);
    std::unique_ptr<AtomicFile> curveFile;
    std::unique_ptr<AtomicFile> scoresFile;
    if (!riskCoverageOut.empty()) {
        curveFile = std::make_unique<AtomicFile>(riskCoverageOut);
    }
    if (!scoresOut.empty()) {
        scoresFile = std::make_unique<AtomicFile>(scoresOut);
    }

    CalibrationAccumulator accumulator;
    std::size_t failed = 0;
    InterruptGuard interrupts;
    const auto ran =
        runOrReplay(bundle, inputs, results, true, "inputs", runArgs.options(), quiet, failed,
                    [&](const ImageResult& r) { accumulator.add(r.summary, r.label); });
    if (!ran) {
        return kExitCannotRun;
    }
    const RunReport& report = *ran;
    const std::string source = results.empty()
                                   ? runArgs.describe() + ", T = " + std::to_string(report.samples)
                                   : "from " + std::to_string(results.size()) + " results file(s)";

    const CalibrationReport calibration = accumulator.calibration(bins);
    {
        CsvWriter csv(reliabilityFile.stream());
        csv.header({"scheme", "bin", "lower", "upper", "count", "mean_confidence", "accuracy"});
        writeBins(csv, "equal_width", calibration.equalWidth);
        writeBins(csv, "equal_mass", calibration.equalMass);
    }
    reliabilityFile.commit();
    auto curves = accumulator.riskCoverageAllScores(scoresOf(bundle));
    if (curveFile) {
        CsvWriter csv(curveFile->stream());
        csv.header({"score", "coverage", "risk"});
        for (const auto& curve : curves) {
            for (std::size_t k = 0; k < curve.coverage.size(); ++k) {
                csv.text(scoreName(curve.score))
                    .number(curve.coverage[k])
                    .number(curve.risk[k])
                    .endRow();
            }
        }
        curveFile->commit();
    }
    std::stable_sort(curves.begin(), curves.end(),
                     [](const auto& a, const auto& b) { return a.aurc < b.aurc; });
    if (scoresFile) {
        CsvWriter csv(scoresFile->stream());
        csv.header({"score", "aurc", "optimal_aurc", "excess_aurc"});
        for (const auto& curve : curves) {
            csv.text(scoreName(curve.score))
                .number(curve.aurc)
                .number(curve.optimalAurc)
                .number(curve.aurc - curve.optimalAurc)
                .endRow();
        }
        scoresFile->commit();
    }

    std::printf("Calibration of %zu labelled images (%s%s)\n\n", calibration.labelled,
                source.c_str(), report.cancelled ? ", cancelled: partial" : "");
    if (calibration.labelled == 0) {
        // Only a run cancelled before a labelled image finished gets here: no rate exists.
        std::printf("  accuracy n/a   NLL n/a   Brier n/a\n");
        std::printf("  ECE (%d equal-width bins) n/a   ECE (equal-mass bins) n/a\n", bins);
        std::printf("  Selective prediction: n/a (no labelled image)\n");
    } else {
        std::printf("  accuracy %.2f %%   NLL %.4f   Brier %.4f\n", 100 * calibration.accuracy,
                    calibration.nll, calibration.brier);
        std::printf("  ECE (%d equal-width bins) %.4f   ECE (equal-mass bins) %.4f\n\n", bins,
                    calibration.eceEqualWidth, calibration.eceEqualMass);
        std::printf("  Selective prediction, best score first (AURC: lower ranks errors better)\n");
        std::printf("  %-22s %10s %10s\n", "score", "AURC", "optimal");
        for (const auto& curve : curves) {
            std::printf("  %-22s %10.5f %10.5f\n", scoreName(curve.score).c_str(), curve.aurc,
                        curve.optimalAurc);
        }
    }
    std::cout << "\nReliability " << out << "\n";
    if (report.cancelled) {
        return kExitCancelled;
    }
    return failed > 0 ? kExitSomeFailed : kExitOk;
}

}  // namespace ue::cli
