#include "ConformalCommand.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include "data/ImagePathSet.h"
#include "io/AtomicFile.h"
#include "io/ConformalCsv.h"
#include "io/ConsoleProgress.h"
#include "io/CsvWriter.h"
#include "metrics/Conformal.h"
#include "model/ModelBundle.h"

namespace ue::cli {
CLI::App* ConformalCommand::add(CLI::App& app) {
    auto* command = app.add_subcommand(
        "conformal",
        "Split conformal prediction sets (LAC, APS) calibrated on a labelled validation set: "
        "per image its set, over the inputs the empirical coverage and the set sizes");
    command->add_option("-m,--model", model, "Model bundle")->required();
    command->add_option("--val", validation, "Labelled validation images (class-named folders)");
    command->add_option("-i,--input", inputs, "Test images (labelled ones give the coverage)");
    command
        ->add_option("--val-results", validationResults,
                     "Instead of --val: results CSVs from `analyze` or `merge` (no inference)")
        ->excludes("--val");
    command
        ->add_option("--input-results", inputResults,
                     "Instead of --input: results CSVs from `analyze` or `merge` (no inference)")
        ->excludes("--input");
    runArgs.addTo(command);
    command->add_option("--alpha", alpha, "Miscoverage: sets hold the true class with >= 1-alpha")
        ->check(CLI::Range(0.001, 0.999))
        ->capture_default_str();
    command->add_option("--score", score, "Nonconformity score: lac, aps or both")
        ->check(CLI::IsMember({"lac", "aps", "both"}))
        ->capture_default_str();
    command
        ->add_option("-o,--out", out,
                     "Sets CSV: path,label,method,qhat,set,set_size,covered (set: classes "
                     "joined by |, most probable first)")
        ->required();
    command->add_option("--sizes", sizesOut, "Set-size distribution CSV: method,size,images");
    command->add_flag("-q,--quiet", quiet, "No progress bar");
    return command;
}

int ConformalCommand::run() const {
    if (validation.empty() == validationResults.empty() || inputs.empty() == inputResults.empty()) {
        std::cerr << "error: conformal needs --val or --val-results, and --input or "
                     "--input-results\n";
        return kExitCannotRun;
    }
    checkResultsFiles({{"--val-results", &validationResults}, {"--input-results", &inputResults}});
    const auto bundle = ModelBundle::load(model);
    runArgs.warnIgnored(bundle, !validationResults.empty() && !inputResults.empty()
                                    ? "--val-results and --input-results"
                                    : "");
    const auto& classes = bundle.meta().classes;
    AtomicFile setsFile(out);
    std::unique_ptr<AtomicFile> sizesFile;
    if (!sizesOut.empty()) {
        sizesFile = std::make_unique<AtomicFile>(sizesOut);
    }
    std::vector<ConformalCalibrator> calibrators;
    for (const char* name : {"lac", "aps"}) {
        if (score == "both" || score == name) {
            calibrators.emplace_back(conformalMethodFromString(name));
        }
    }

    InterruptGuard interrupts;
    const RunOptions options = runArgs.options();
    std::size_t failed = 0;
    // The images q-hat was calibrated on: a test image among them makes the coverage
    // optimistic, since its score took part in choosing q-hat.
    ImagePathSet calibrationImages;
    const auto validationReport =
        runOrReplay(bundle, validation, validationResults, true, "validation inputs", options,
                    quiet, failed, [&](const ImageResult& r) {
                        for (auto& calibrator : calibrators) {
                            calibrator.add(r.summary.mean, r.label);
                        }
                        if (r.label != kNoLabel) {
                            calibrationImages.add(r.path);
                        }
                    });
    if (!validationReport) {
        return kExitCannotRun;
    }
    if (validationReport->cancelled) {
        return kExitCancelled;
    }
    std::vector<double> qhats;
    std::vector<ConformalEvaluator> evaluators;
    for (const auto& calibrator : calibrators) {
        qhats.push_back(calibrator.qhat(alpha));
        evaluators.emplace_back(classes.size());
    }

    ConformalSetsCsv csv(setsFile.stream(), classes);
    std::size_t seenInCalibration = 0;
    const auto ran = runOrReplay(
        bundle, inputs, inputResults, false, "inputs", options, quiet, failed,
        [&](const ImageResult& r) {
            seenInCalibration += calibrationImages.contains(r.path) ? 1 : 0;
            for (std::size_t m = 0; m < calibrators.size(); ++m) {
                const auto set = predictionSet(calibrators[m].method(), r.summary.mean, qhats[m]);
                evaluators[m].add(set, r.label);
                csv.write(r.path, r.label, calibrators[m].method(), qhats[m], set);
            }
        });
    if (!ran) {
        return kExitCannotRun;
    }
    const RunReport& testReport = *ran;
    setsFile.commit();
    if (sizesFile) {
        CsvWriter sizes(sizesFile->stream());
        sizes.header({"method", "size", "images"});
        for (std::size_t m = 0; m < calibrators.size(); ++m) {
            const auto& counts = evaluators[m].sizeCounts();
            for (std::size_t size = 0; size < counts.size(); ++size) {
                sizes.text(toString(calibrators[m].method()))
                    .integer((long long)size)
                    .integer((long long)counts[size])
                    .endRow();
            }
        }
        sizesFile->commit();
    }

    std::printf("Split conformal prediction, alpha = %g (target coverage %.1f %%), %s, T = %d%s\n",
                alpha, 100 * (1 - alpha), runArgs.describe().c_str(), testReport.samples,
                testReport.cancelled ? ", cancelled: partial" : "");
    std::printf("Calibrated on %zu labelled validation images; %zu test images (%zu labelled)\n",
                calibrators.front().count(), evaluators.front().images(),
                evaluators.front().labelled());
    if (seenInCalibration > 0) {
        const std::string overlap =
            calibrationOverlapWarning(seenInCalibration, evaluators.front().images());
        // On stderr too: stdout is often redirected to a file nobody reads line by line.
        std::cerr << "warning: " << overlap << "\n";
        std::printf("Warning: %s\n", overlap.c_str());
    }
    std::printf("\n");
    for (std::size_t m = 0; m < calibrators.size(); ++m) {
        const ConformalEvaluator& e = evaluators[m];
        // Coverage needs labelled test images, the mean size a test image: "n/a" without.
        char coverage[32] = "n/a (no labelled test image)";
        if (e.labelled() > 0) {
            std::snprintf(coverage, sizeof coverage, "%.2f %%", 100 * e.coverage());
        }
        char meanSize[32] = "n/a";
        if (e.images() > 0) {
            std::snprintf(meanSize, sizeof meanSize, "%.3f", e.meanSetSize());
        }
        std::printf("  %s  qhat %s  coverage %s  mean set size %s  sizes:",
                    toString(calibrators[m].method()).c_str(),
                    std::isinf(qhats[m]) ? "inf (too few validation images: every class)"
                                         : std::to_string(qhats[m]).c_str(),
                    coverage, meanSize);
        for (std::size_t size = 0; size < e.sizeCounts().size(); ++size) {
            if (e.sizeCounts()[size] > 0) {
                std::printf(" %zu:%zu", size, e.sizeCounts()[size]);
            }
        }
        std::printf("\n");
    }
    std::printf("\nSets       %s\n", out.c_str());
    if (testReport.cancelled) {
        return kExitCancelled;
    }
    return failed > 0 ? kExitSomeFailed : kExitOk;
}

}  // namespace ue::cli
