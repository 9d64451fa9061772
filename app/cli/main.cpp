// uncertainty-cli: the headless face of Uncertainty Explorer.
// Exit codes: 0 all images analysed; 1 some inputs failed (the rest completed); 2 could not run
// (bad arguments, unusable model, no images, output not writable); 130 cancelled (Ctrl-C),
// with the finished images written.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "CalibrationCommand.h"
#include "CliCommon.h"
#include "CompareCommand.h"
#include "ConformalCommand.h"
#include "Error.h"
#include "GammaSweepCommand.h"
#include "OodCommand.h"
#include "RankBreakdownCommand.h"
#include "bench/BenchCommand.h"
#include "data/FolderScan.h"
#include "engine/McEngine.h"
#include "io/AtomicFile.h"
#include "io/ConsoleProgress.h"
#include "io/ResultsCsv.h"
#include "io/SummaryReport.h"
#include "io/ThresholdsFile.h"
#include "metrics/SetMetrics.h"
#include "metrics/ThresholdStudy.h"
#include "metrics/Thresholds.h"
#include "model/ModelBundle.h"

namespace {

using namespace ue::cli;

struct AnalyzeArgs {
    std::string model;
    std::vector<std::string> inputs;
    RunArgs run;
    std::string out;
    std::string rawOut;
    int bins = 20;
    int top = 10;
    std::size_t memoryMb = 256;
    bool noCache = false;
    bool quiet = false;
    std::string thresholds;
    std::string thresholdReport;
};

struct ThresholdArgs {
    std::string model;
    std::vector<std::string> validation;
    RunArgs run;
    double percentile = 10.0;
    std::string out;
};

int runBenchCommand(const ue::app::BenchArgs& args, const std::vector<std::string>& inputs) {
    const auto bundle = ue::ModelBundle::load(args.model);
    ue::BenchOptions options = args.options();
    options.inputs = inputs;
    return ue::app::runBenchAndReport(bundle, ue::decodeBenchInputs(bundle, options), args,
                                      options);
}

int runThresholds(const ThresholdArgs& args) {
    const auto bundle = ue::ModelBundle::load(args.model);
    const auto& classes = bundle.meta().classes;
    const auto scanned = scanForRun(args.validation, classes, true, "validation inputs");
    if (!scanned) {
        return kExitCannotRun;
    }
    const ue::ScanResult& scan = *scanned;
    const ue::RunOptions options = args.run.options();
    ue::ThresholdCollector collector(classes.size());
    std::size_t failed = 0;
    ue::ConsoleProgress progress(stderr);
    ue::McEngine(bundle).run(
        scan.images, options,
        [&](ue::ImageResult&& r) {
            if (r.ok) {
                collector.add(r.summary, r.label);
            } else {
                std::cerr << "error: " << r.error << "\n";
                ++failed;
            }
        },
        [&](const ue::RunProgress& p) { progress.update(p); });
    progress.finish();
    ue::ThresholdsFile file;
    file.model = bundle.meta().name;
    file.method = args.run.method;
    file.samples = options.passesPerCopy();
    file.augmentation = options.augment;
    file.classes = classes;
    file.values = collector.compute(args.percentile);
    ue::saveThresholds(file, args.out);
    std::cout << "Per-class thresholds: " << args.percentile
              << "th percentile of each class's mean probability over the validation images "
                 "correctly classified as it\n";
    for (std::size_t c = 0; c < classes.size(); ++c) {
        std::cout << "  " << classes[c] << ": " << file.values.thresholds[c] << "  ("
                  << file.values.support[c] << " images)"
                  << (file.values.support[c] == 0 ? "  no correct image: never rejects" : "")
                  << "\n";
    }
    std::cout << "\nThresholds " << args.out << "\n";
    return failed > 0 ? kExitSomeFailed : kExitOk;
}

int runInfo(const std::string& modelPath) {
    const auto bundle = ue::ModelBundle::load(modelPath);
    std::cout << ue::formatModelInfo(bundle);
    return kExitOk;
}

int runAnalyze(const AnalyzeArgs& args) {
    const auto bundle = ue::ModelBundle::load(args.model);
    const auto& classes = bundle.meta().classes;

    ue::RunOptions options = args.run.options();
    options.memoryBudgetBytes = args.memoryMb << 20;
    options.useEncodeCache = !args.noCache;
    options.keepRawSamples = !args.rawOut.empty();
    options.summary.histogramBins = args.bins;
    if (options.method == ue::Method::McDropout && !bundle.stochasticity().passesDiffer) {
        std::cerr << "warning: " << bundle.path()
                  << " has no active stochastic layer: all Monte Carlo passes are identical, "
                     "so mutual information and variation ratio are 0. Use --method "
                     "deterministic for a single pass.\n";
    }

    ue::ClassThresholds thresholdValues;
    if (!args.thresholds.empty()) {
        const ue::ThresholdsFile file = ue::loadThresholds(args.thresholds, classes);
        thresholdValues = file.values;
        const auto policyText = [](const ue::AugmentPolicy& p) {
            return p.enabled() ? ue::augmentPolicyToJson(p) : std::string();
        };
        if (policyText(file.augmentation) != policyText(options.augment)) {
            // Means over augmented copies and plain means are not on the same scale.
            std::cerr << "warning: " << args.thresholds << " was computed with "
                      << ue::describe(file.augmentation) << ", this run uses "
                      << ue::describe(options.augment) << "\n";
        }
    }
    const std::vector<float>& thresholds = thresholdValues.thresholds;
    const auto scanned = scanForRun(args.inputs, classes, false);
    if (!scanned) {
        return kExitCannotRun;
    }
    const ue::ScanResult& scan = *scanned;

    std::unique_ptr<ue::AtomicFile> resultsFile;
    std::unique_ptr<ue::AtomicFile> rawFile;
    std::optional<ue::ResultsCsv> resultsCsv;
    std::optional<ue::RawSamplesCsv> rawCsv;
    if (!args.out.empty()) {
        resultsFile = std::make_unique<ue::AtomicFile>(args.out);
        resultsCsv.emplace(resultsFile->stream(), classes, thresholds);
    }
    if (!args.rawOut.empty()) {
        rawFile = std::make_unique<ue::AtomicFile>(args.rawOut);
        rawCsv.emplace(rawFile->stream(), classes, ue::sampleAxes(bundle, options));
    }

    ue::SetMetricsAccumulator metrics;
    metrics.setThresholds(thresholds);
    ue::ThresholdEvaluator thresholdStudy(classes.size());
    ue::UncertaintyRanking ranking(static_cast<std::size_t>(std::max(args.top, 0)));
    std::vector<std::string> failures;
    ue::ConsoleProgress progress(stderr);
    const auto className = [&](int index) {
        return index >= 0 ? classes[static_cast<std::size_t>(index)] : std::string();
    };

    InterruptGuard interrupts;
    ue::McEngine engine(bundle);
    const auto report = engine.run(
        scan.images, options,
        [&](ue::ImageResult&& result) {
            if (resultsCsv) {
                resultsCsv->write(result);
            }
            if (rawCsv) {
                rawCsv->write(result);
            }
            if (!result.ok) {
                failures.push_back(result.error);
                return;
            }
            metrics.add(result.summary, result.label);
            thresholdStudy.add(result.summary, result.label);
            ranking.add({result.path, className(result.label),
                         className(result.summary.argmaxPrediction),
                         result.summary.predictiveEntropy, result.summary.mutualInformation});
        },
        [&](const ue::RunProgress& p) {
            if (!args.quiet) {
                progress.update(p);
            }
        },
        &cancelFlag());
    progress.finish();

    // The files hold every image that finished, also when the run was cancelled.
    if (resultsFile) {
        resultsFile->commit();
    }
    if (rawFile) {
        rawFile->commit();
    }
    ue::RunSummary summary{bundle.meta().name,
                           ue::describeMethod(bundle, options),
                           report,
                           metrics.result(),
                           ranking.mostUncertain(),
                           failures};
    std::cout << ue::formatRunSummary(summary);
    if (!thresholds.empty() && thresholdStudy.labelled() > 0) {
        const ue::ThresholdStudy study = thresholdStudy.evaluate(thresholds);
        std::cout << "\n" << ue::formatThresholdStudy(study, classes, thresholdValues);
        if (!args.thresholdReport.empty()) {
            ue::AtomicFile reportFile(args.thresholdReport);
            ue::writeThresholdStudyCsv(reportFile.stream(), study, classes, thresholds,
                                       thresholdValues.support);
            reportFile.commit();
            std::cout << "\nThreshold study " << args.thresholdReport << "\n";
        }
    }
    if (!args.out.empty()) {
        std::cout << "\nResults    " << args.out << "\n";
    }
    if (!args.rawOut.empty()) {
        std::cout << "Samples    " << args.rawOut << "\n";
    }
    if (report.cancelled) {
        return kExitCancelled;
    }
    return report.failed > 0 || !scan.problems.empty() ? kExitSomeFailed : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "Uncertainty Explorer (headless): Monte Carlo uncertainty of an image "
        "classifier.\nExit codes: 0 all good, 1 some inputs failed (the rest "
        "completed), 2 could not run, 130 cancelled."};
    app.require_subcommand(1);

    AnalyzeArgs analyze;
    auto* analyzeCmd = app.add_subcommand(
        "analyze", "Run Monte Carlo passes over images and write per-image results");
    analyzeCmd->add_option("-m,--model", analyze.model, "Model bundle (.pt with meta.json)")
        ->required();
    analyzeCmd
        ->add_option("-i,--input", analyze.inputs,
                     "Image files or folders (recursive; class-named folders give labels)")
        ->required();
    analyze.run.addTo(analyzeCmd);
    analyzeCmd->add_option("-o,--out", analyze.out, "Per-image results CSV");
    analyzeCmd->add_option("--raw-out", analyze.rawOut,
                           "CSV of every pass's probabilities (T rows per image)");
    analyzeCmd->add_option("--bins", analyze.bins, "Histogram bins on [0,1]")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    analyzeCmd->add_option("--top", analyze.top, "Most uncertain images to list")
        ->check(CLI::Range(0, 10000))
        ->capture_default_str();
    analyzeCmd->add_option("--memory-mb", analyze.memoryMb, "Memory budget for a batch (MiB)")
        ->check(CLI::Range(1, 1 << 20))
        ->capture_default_str();
    analyzeCmd->add_flag("--no-cache", analyze.noCache,
                         "Run the whole model every pass even when encode/head is exported or "
                         "found in the graph");
    analyzeCmd->add_flag("-q,--quiet", analyze.quiet, "No progress bar");
    analyzeCmd->add_option(
        "--thresholds", analyze.thresholds,
        "Per-class thresholds JSON (from `thresholds`): adds the threshold rule");
    analyzeCmd
        ->add_option("--threshold-report", analyze.thresholdReport,
                     "With --thresholds and labelled images: accuracy and coverage before "
                     "and after the rule, per class and overall, as CSV")
        ->needs("--thresholds");

    ThresholdArgs thresholdArgs;
    auto* thresholdsCmd = app.add_subcommand(
        "thresholds", "Per-class thresholds from a labelled validation set, written as JSON");
    thresholdsCmd->add_option("-m,--model", thresholdArgs.model, "Model bundle")->required();
    thresholdsCmd
        ->add_option("--val", thresholdArgs.validation, "Validation images in class-named folders")
        ->required();
    thresholdArgs.run.addTo(thresholdsCmd);
    thresholdsCmd
        ->add_option("--percentile", thresholdArgs.percentile,
                     "Percentile of the correct images' probabilities (0-100)")
        ->check(CLI::Range(0.0, 100.0))
        ->capture_default_str();
    thresholdsCmd->add_option("-o,--out", thresholdArgs.out, "Thresholds JSON")->required();

    GammaSweepCommand gammaSweep;
    CLI::App* gammaCmd = gammaSweep.add(app);
    CalibrationCommand calibration;
    CLI::App* calibrationCmd = calibration.add(app);
    OodCommand ood;
    CLI::App* oodCmd = ood.add(app);
    ConformalCommand conformal;
    CLI::App* conformalCmd = conformal.add(app);
    RankBreakdownCommand rankBreakdown;
    CLI::App* rankBreakdownCmd = rankBreakdown.add(app);
    CompareCommand compare;
    CLI::App* compareCmd = compare.add(app);

    std::string infoModel;
    auto* infoCmd = app.add_subcommand(
        "info", "Show a bundle's meta, its stochastic modules and whether MC passes differ");
    infoCmd->add_option("-m,--model", infoModel, "Model bundle")->required();

    ue::app::BenchArgs bench;
    std::vector<std::string> benchInputs;
    auto* benchCmd = app.add_subcommand(
        "bench", "Time our engine against plain-PyTorch loops on the same decoded images");
    bench.addTo(benchCmd);
    benchCmd->add_option("-i,--input", benchInputs, "Image files or folders")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitCannotRun;
    }

    try {
        if (*infoCmd) {
            return runInfo(infoModel);
        }
        if (*benchCmd) {
            return runBenchCommand(bench, benchInputs);
        }
        if (*thresholdsCmd) {
            return runThresholds(thresholdArgs);
        }
        if (*gammaCmd) {
            return gammaSweep.run();
        }
        if (*calibrationCmd) {
            return calibration.run();
        }
        if (*oodCmd) {
            return ood.run();
        }
        if (*conformalCmd) {
            return conformal.run();
        }
        if (*rankBreakdownCmd) {
            return rankBreakdown.run();
        }
        if (*compareCmd) {
            return compare.run();
        }
        return runAnalyze(analyze);
    } catch (const ue::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
    }
    return kExitCannotRun;
}
