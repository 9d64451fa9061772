#include "GammaSweepCommand.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "analysis/GammaSweep.h"
#include "data/FolderScan.h"
#include "io/AtomicFile.h"
#include "io/ConsoleProgress.h"
#include "io/PercentCell.h"
#include "io/ResultsCsv.h"
#include "io/ThresholdsFile.h"
#include "model/ModelBundle.h"

namespace ue::cli {

CLI::App* GammaSweepCommand::add(CLI::App& app) {
    auto* gammaCmd = app.add_subcommand(
        "gamma-sweep",
        "Run every image at a range of gamma values (x -> x^gamma on [0,1] pixels) and write "
        "accuracy, rule coverage and mean uncertainty per gamma as CSV");
    gammaCmd->add_option("-m,--model", model, "Model bundle")->required();
    gammaCmd->add_option("-i,--input", inputs, "Image files or folders")->required();
    runArgs.addTo(gammaCmd);
    gammaCmd->add_option("--gamma-min", minGamma, "Smallest gamma (brightest)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    gammaCmd->add_option("--gamma-max", maxGamma, "Largest gamma (darkest)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    gammaCmd
        ->add_option("--steps", steps,
                     "Log-spaced values from min to max, both included (so at least 2 unless "
                     "min = max); 0.5, 1 and 2 are always added when in range")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    gammaCmd
        ->add_option("--gammas", gammaList,
                     "Explicit comma-separated gamma values instead of the range")
        ->excludes("--gamma-min")
        ->excludes("--gamma-max")
        ->excludes("--steps");
    gammaCmd->add_option("--thresholds", thresholds,
                         "Per-class thresholds JSON: adds the threshold rule's columns");
    gammaCmd->add_option("-o,--out", out, "Set-level CSV, one row per gamma")->required();
    gammaCmd->add_option("--per-image", perImageOut,
                         "Per-image CSV: the analyze columns plus gamma, one row per image and "
                         "gamma");
    gammaCmd->add_flag("-q,--quiet", quiet, "No progress bar");

    return gammaCmd;
}

int GammaSweepCommand::run() const {
    const GammaSweepCommand& args = *this;
    if (args.gammaList.empty() && args.steps == 1 && args.minGamma < args.maxGamma) {
        // One step is gamma-min alone: the range's other end would silently go missing.
        std::cerr << "error: --steps 1 gives one gamma value, so the range " << args.minGamma
                  << " to " << args.maxGamma
                  << " would lose --gamma-max: give --steps 2 or more (both ends are swept), or "
                     "--gammas G for one value\n";
        return kExitCannotRun;
    }
    // Bad values stop the command before the model loads.
    const std::vector<double> gammas = args.gammaList.empty()
                                           ? ue::gammaGrid(args.minGamma, args.maxGamma, args.steps)
                                           : ue::parseGammaList(args.gammaList);
    const auto bundle = ue::ModelBundle::load(args.model);
    const auto& classes = bundle.meta().classes;
    args.runArgs.warnIgnored(bundle);
    std::vector<float> thresholds;
    if (!args.thresholds.empty()) {
        thresholds = ue::loadThresholds(args.thresholds, classes).values.thresholds;
    }
    const auto scanned = scanForRun(args.inputs, classes, false);
    if (!scanned) {
        return kExitCannotRun;
    }
    const ScanResult& scan = *scanned;
    // Open the outputs before the long run, so an unwritable path fails at once.
    ue::AtomicFile sweepFile(args.out);
    std::unique_ptr<ue::AtomicFile> perImageFile;
    std::optional<ue::ResultsCsv> perImageCsv;
    if (!args.perImageOut.empty()) {
        perImageFile = std::make_unique<ue::AtomicFile>(args.perImageOut);
        perImageCsv.emplace(perImageFile->stream(), classes, thresholds, "gamma");
    }

    ue::GammaSweepAccumulator sweep(gammas, thresholds);
    std::size_t failedImages = 0;
    ue::ConsoleProgress progress(stderr);
    InterruptGuard interrupts;
    ue::McEngine engine(bundle);
    const auto report = ue::runGammaSweep(
        engine, bundle, scan.images, gammas, args.runArgs.options(),
        [&](ue::GammaResult&& r) {
            if (perImageCsv) {
                perImageCsv->write(r.result, r.gamma);
            }
            if (!r.result.ok && r.gammaIndex == 0) {
                std::cerr << "error: " << r.result.error << "\n";
                ++failedImages;
            }
            sweep.add(r);
        },
        [&](const ue::RunProgress& p) {
            if (!args.quiet) {
                progress.update(p);
            }
        },
        &cancelFlag());
    progress.finish();

    const auto points = sweep.result();
    ue::writeGammaSweepCsv(points, sweepFile.stream());
    sweepFile.commit();
    if (perImageFile) {
        perImageFile->commit();
    }
    std::printf("Gamma sweep: %zu images x %zu gamma values, %s, T = %d, on %s%s\n\n",
                scan.images.size(), gammas.size(), args.runArgs.describe().c_str(), report.samples,
                report.device.c_str(), report.cancelled ? " (cancelled: partial)" : "");
    std::printf("  %7s %9s %9s %9s %9s %9s\n", "gamma", "accuracy", "med.cov", "med.acc", "entropy",
                "MI");
    // As in the CSV, a rate without images to count it over is not 0: "-".
    const auto rate = [](bool known, double fraction) {
        return ue::percentCell(known, fraction, 9, 2);
    };
    for (const auto& point : points) {
        const auto& m = point.metrics;
        const bool labelled = m.labelled > 0;
        std::printf("  %7.3f %s %s %s %9.4f %9.4f\n", point.gamma,
                    rate(labelled, m.accuracy).c_str(),
                    rate(labelled, m.medianRuleCoverage).c_str(),
                    rate(labelled && m.medianRuleCoverage > 0, m.medianRuleCoveredAccuracy).c_str(),
                    m.meanPredictiveEntropy, m.meanMutualInformation);
    }
    std::cout << "\nSweep      " << args.out << "\n";
    if (!args.perImageOut.empty()) {
        std::cout << "Per image  " << args.perImageOut << "\n";
    }
    if (report.cancelled) {
        return kExitCancelled;
    }
    return failedImages > 0 || !scan.problems.empty() ? kExitSomeFailed : kExitOk;
}

}  // namespace ue::cli
