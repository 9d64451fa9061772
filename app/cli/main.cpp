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

#include "Error.h"
#include "analysis/GammaSweep.h"
#include "bench/BenchCommand.h"
#include "data/FolderScan.h"
#include "engine/McEngine.h"
#include "io/AtomicFile.h"
#include "io/ConsoleProgress.h"
#include "io/ResultsCsv.h"
#include "io/SummaryReport.h"
#include "io/ThresholdsFile.h"
#include "metrics/SetMetrics.h"
#include "metrics/Thresholds.h"
#include "model/ModelBundle.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitSomeFailed = 1;
constexpr int kExitCannotRun = 2;
constexpr int kExitCancelled = 130;

std::atomic<bool> gCancel{false};

extern "C" void onInterrupt(int) {
    gCancel.store(true);
}

// What every command that runs the engine takes: method, T, seed, threads.
struct RunArgs {
    std::string method = "mc-dropout";
    int samples = 100;
    std::uint64_t seed = 0;
    int threads = 0;
    std::string device = "auto";
    std::string precision = "fp32";

    void addTo(CLI::App* command) {
        command->add_option("--method", method, "mc-dropout or deterministic")
            ->check(CLI::IsMember({"mc-dropout", "deterministic"}))
            ->capture_default_str();
        command->add_option("-T,--samples", samples, "Monte Carlo passes per image")
            ->check(CLI::Range(1, 1000000))
            ->capture_default_str();
        command->add_option("--seed", seed, "Random seed")->capture_default_str();
        command->add_option("--threads", threads, "Inference threads (0 = all cores)")
            ->check(CLI::Range(0, 1024))
            ->capture_default_str();
        command
            ->add_option("--device", device,
                         "auto (a GPU when LibTorch has CUDA and one is present), cpu, cuda or "
                         "cuda:N")
            ->capture_default_str();
        command
            ->add_option("--precision", precision,
                         "fp32, or bf16/fp16 autocast (CUDA only; probabilities differ from "
                         "fp32 by up to ~1e-2)")
            ->check(CLI::IsMember({"fp32", "bf16", "fp16"}))
            ->capture_default_str();
    }

    ue::RunOptions options() const {
        ue::RunOptions options;
        options.method = ue::methodFromString(method);
        options.samples = samples;
        options.seed = seed;
        options.threads = threads;
        options.device = device;
        options.precision = ue::precisionFromString(precision);
        return options;
    }
};

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
};

struct GammaArgs {
    std::string model;
    std::vector<std::string> inputs;
    RunArgs run;
    double minGamma = 0.2;
    double maxGamma = 3.0;
    int steps = 9;
    std::string gammaList;
    std::string thresholds;
    std::string out;
    std::string perImageOut;
    bool quiet = false;
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
    const auto scan = ue::scanInputs(args.validation, classes);
    if (scan.labelledCount == 0) {
        std::cerr << "error: no labelled images in the validation inputs (labels come from "
                     "folders named after the model's classes)\n";
        return kExitCannotRun;
    }
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
    file.samples = options.method == ue::Method::McDropout ? options.samples : 1;
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

int runGammaSweepCommand(const GammaArgs& args) {
    const auto bundle = ue::ModelBundle::load(args.model);
    const auto& classes = bundle.meta().classes;
    const std::vector<double> gammas = args.gammaList.empty()
                                           ? ue::gammaGrid(args.minGamma, args.maxGamma, args.steps)
                                           : ue::parseGammaList(args.gammaList);
    std::vector<float> thresholds;
    if (!args.thresholds.empty()) {
        thresholds = ue::loadThresholds(args.thresholds, classes).values.thresholds;
    }
    const auto scan = ue::scanInputs(args.inputs, classes);
    for (const auto& problem : scan.problems) {
        std::cerr << "error: " << problem << "\n";
    }
    if (scan.images.empty()) {
        std::cerr << "error: no images found in the given inputs\n";
        return kExitCannotRun;
    }
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
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    ue::McEngine engine(bundle);
    const auto report = ue::runGammaSweep(
        engine, bundle, scan.images, gammas, args.run.options(),
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
        &gCancel);
    progress.finish();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    const auto points = sweep.result();
    ue::writeGammaSweepCsv(points, sweepFile.stream());
    sweepFile.commit();
    if (perImageFile) {
        perImageFile->commit();
    }
    std::printf("Gamma sweep: %zu images x %zu gamma values, %s, T = %d, on %s%s\n\n",
                scan.images.size(), gammas.size(), args.run.method.c_str(), report.samples,
                report.device.c_str(), report.cancelled ? " (cancelled: partial)" : "");
    std::printf("  %7s %9s %9s %9s %9s %9s\n", "gamma", "accuracy", "med.cov", "med.acc", "entropy",
                "MI");
    for (const auto& point : points) {
        const auto& m = point.metrics;
        std::printf("  %7.3f %8.2f%% %8.2f%% %8.2f%% %9.4f %9.4f\n", point.gamma, 100 * m.accuracy,
                    100 * m.medianRuleCoverage, 100 * m.medianRuleCoveredAccuracy,
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

    std::vector<float> thresholds;
    if (!args.thresholds.empty()) {
        thresholds = ue::loadThresholds(args.thresholds, classes).values.thresholds;
    }
    const auto scan = ue::scanInputs(args.inputs, classes);
    for (const auto& problem : scan.problems) {
        std::cerr << "error: " << problem << "\n";
    }
    if (scan.images.empty()) {
        std::cerr << "error: no images found in the given inputs\n";
        return kExitCannotRun;
    }

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
        rawCsv.emplace(rawFile->stream(), classes);
    }

    ue::SetMetricsAccumulator metrics;
    metrics.setThresholds(thresholds);
    ue::UncertaintyRanking ranking(static_cast<std::size_t>(std::max(args.top, 0)));
    std::vector<std::string> failures;
    ue::ConsoleProgress progress(stderr);
    const auto className = [&](int index) {
        return index >= 0 ? classes[static_cast<std::size_t>(index)] : std::string();
    };

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
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
            ranking.add({result.path, className(result.label),
                         className(result.summary.argmaxPrediction),
                         result.summary.predictiveEntropy, result.summary.mutualInformation});
        },
        [&](const ue::RunProgress& p) {
            if (!args.quiet) {
                progress.update(p);
            }
        },
        &gCancel);
    progress.finish();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    // The files hold every image that finished, also when the run was cancelled.
    if (resultsFile) {
        resultsFile->commit();
    }
    if (rawFile) {
        rawFile->commit();
    }
    ue::RunSummary summary{bundle.meta().name, ue::toString(options.method), report,
                           metrics.result(),   ranking.mostUncertain(),      failures};
    std::cout << ue::formatRunSummary(summary);
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
                         "Run the whole model every pass even when encode/head is exported");
    analyzeCmd->add_flag("-q,--quiet", analyze.quiet, "No progress bar");
    analyzeCmd->add_option(
        "--thresholds", analyze.thresholds,
        "Per-class thresholds JSON (from `thresholds`): adds the threshold rule");

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

    GammaArgs gammaArgs;
    auto* gammaCmd = app.add_subcommand(
        "gamma-sweep",
        "Run every image at a range of gamma values (x -> x^gamma on [0,1] pixels) and write "
        "accuracy, rule coverage and mean uncertainty per gamma as CSV");
    gammaCmd->add_option("-m,--model", gammaArgs.model, "Model bundle")->required();
    gammaCmd->add_option("-i,--input", gammaArgs.inputs, "Image files or folders")->required();
    gammaArgs.run.addTo(gammaCmd);
    gammaCmd->add_option("--gamma-min", gammaArgs.minGamma, "Smallest gamma (brightest)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    gammaCmd->add_option("--gamma-max", gammaArgs.maxGamma, "Largest gamma (darkest)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    gammaCmd
        ->add_option("--steps", gammaArgs.steps,
                     "Log-spaced values from min to max (0.5, 1 and 2 are always added when "
                     "in range)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    gammaCmd->add_option("--gammas", gammaArgs.gammaList,
                         "Explicit comma-separated gamma values instead of the range");
    gammaCmd->add_option("--thresholds", gammaArgs.thresholds,
                         "Per-class thresholds JSON: adds the threshold rule's columns");
    gammaCmd->add_option("-o,--out", gammaArgs.out, "Set-level CSV, one row per gamma")->required();
    gammaCmd->add_option("--per-image", gammaArgs.perImageOut,
                         "Per-image CSV: the analyze columns plus gamma, one row per image and "
                         "gamma");
    gammaCmd->add_flag("-q,--quiet", gammaArgs.quiet, "No progress bar");

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
            return runGammaSweepCommand(gammaArgs);
        }
        return runAnalyze(analyze);
    } catch (const ue::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
    }
    return kExitCannotRun;
}
