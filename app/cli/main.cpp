// uncertainty-cli: the headless face of Uncertainty Explorer.
// Exit codes: 0 all images analysed; 1 some inputs failed (the rest completed); 2 could not run
// (bad arguments, unusable model, no images, output not writable); 130 cancelled (Ctrl-C),
// with the finished images written. README "Bad input" lists what each kind of input gets.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "AnalyzeCommand.h"
#include "CalibrationCommand.h"
#include "CliCommon.h"
#include "CompareCommand.h"
#include "ConformalCommand.h"
#include "Error.h"
#include "GammaSweepCommand.h"
#include "MergeCommand.h"
#include "OodCommand.h"
#include "RankBreakdownCommand.h"
#include "bench/BenchCommand.h"
#include "data/FolderScan.h"
#include "data/ImageLoader.h"
#include "engine/McEngine.h"
#include "io/AtomicFile.h"
#include "io/ConsoleProgress.h"
#include "io/PrintableText.h"
#include "io/SummaryReport.h"
#include "io/ThresholdsFile.h"
#include "metrics/Thresholds.h"
#include "model/ModelBundle.h"

namespace {

using namespace ue::cli;

struct ThresholdArgs {
    std::string model;
    std::vector<std::string> validation;
    std::vector<std::string> validationResults;  // instead: finished results CSVs
    RunArgs run;
    double percentile = 10.0;
    std::string out;
    bool quiet = false;
};

int runBenchCommand(const ue::app::BenchArgs& args, const std::vector<std::string>& inputs) {
    const auto bundle = ue::ModelBundle::load(args.model);
    ue::BenchOptions options = args.options();
    options.inputs = inputs;
    return ue::app::runBenchAndReport(bundle, ue::decodeBenchInputs(bundle, options), args,
                                      options);
}

int runThresholds(const ThresholdArgs& args) {
    if (args.validation.empty() == args.validationResults.empty()) {
        std::cerr << "error: thresholds needs --val (images to run) or --val-results (finished "
                     "results)\n";
        return kExitCannotRun;
    }
    checkResultsFiles({{"--val-results", &args.validationResults}});
    const auto bundle = ue::ModelBundle::load(args.model);
    const auto& classes = bundle.meta().classes;
    args.run.warnIgnored(bundle, args.validationResults.empty() ? "" : "--val-results");
    const ue::RunOptions options = args.run.options();
    ue::ThresholdCollector collector(classes.size());
    std::size_t failed = 0;
    InterruptGuard interrupts;
    const auto ran = runOrReplay(
        bundle, args.validation, args.validationResults, true, "validation inputs", options,
        args.quiet, failed, [&](const ue::ImageResult& r) { collector.add(r.summary, r.label); });
    if (!ran) {
        return kExitCannotRun;
    }
    if (ran->cancelled) {
        return kExitCancelled;
    }
    ue::ThresholdsFile file;
    file.model = bundle.meta().name;
    const bool fromResults = !args.validationResults.empty();
    // Finished results say how many samples each row has, not which method made them.
    file.method = fromResults ? ue::kThresholdsFromResults : args.run.method;
    file.samples = fromResults ? ran->samples : options.passesPerCopy();
    if (!fromResults) {
        file.seed = options.seed;  // results files do not say theirs
    }
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

}  // namespace

int main(int argc, char** argv) {
    // Messages quote image and class names from users' files: no terminal escapes from them.
    const ue::PrintableConsole printableConsole;
    CLI::App app{
        "Uncertainty Explorer (headless): Monte Carlo uncertainty of an image "
        "classifier.\nExit codes: 0 all good, 1 some inputs failed (the rest "
        "completed), 2 could not run, 130 cancelled."};
    app.require_subcommand(1);
    // Global options may also follow the subcommand (`analyze ... --max-pixels N`).
    app.fallthrough();
    std::uint64_t maxPixels = ue::kDefaultMaxImagePixels;
    app.add_option("--max-pixels", maxPixels,
                   "Refuse images with more pixels than this, from their header, before decoding "
                   "(decompression bombs)")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))
        ->capture_default_str();

    AnalyzeCommand analyze;
    CLI::App* analyzeCmd = analyze.add(app);
    MergeCommand merge;
    CLI::App* mergeCmd = merge.add(app);

    ThresholdArgs thresholdArgs;
    auto* thresholdsCmd = app.add_subcommand(
        "thresholds", "Per-class thresholds from a labelled validation set, written as JSON");
    thresholdsCmd->add_option("-m,--model", thresholdArgs.model, "Model bundle")->required();
    thresholdsCmd->add_option("--val", thresholdArgs.validation,
                              "Validation images in class-named folders");
    thresholdsCmd
        ->add_option("--val-results", thresholdArgs.validationResults,
                     "Instead of --val: results CSVs from `analyze` or `merge` (no inference)")
        ->excludes("--val");
    thresholdArgs.run.addTo(thresholdsCmd);
    thresholdsCmd
        ->add_option("--percentile", thresholdArgs.percentile,
                     "Percentile of the correct images' probabilities (0-100)")
        ->check(CLI::Range(0.0, 100.0))
        ->capture_default_str();
    thresholdsCmd->add_option("-o,--out", thresholdArgs.out, "Thresholds JSON")->required();
    thresholdsCmd->add_flag("-q,--quiet", thresholdArgs.quiet, "No progress bar");

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
    ue::setMaxImagePixels(maxPixels);

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
        if (*mergeCmd) {
            return merge.run();
        }
        if (*analyzeCmd) {
            return analyze.execute();
        }
        return kExitCannotRun;
    } catch (const ue::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
    }
    return kExitCannotRun;
}
