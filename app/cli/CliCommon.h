#pragma once
// What the CLI's commands share: exit codes, the run options, Ctrl-C handling.
#include <CLI/CLI.hpp>
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "data/FolderScan.h"
#include "engine/McEngine.h"
#include "metrics/Scores.h"
#include "model/ModelBundle.h"

namespace ue::cli {

// Exit codes: 0 all images analysed; 1 some inputs failed (the rest completed); 2 could not run
// (bad arguments, unusable model, no images, output not writable); 130 cancelled (Ctrl-C), with
// the finished images written.
constexpr int kExitOk = 0;
constexpr int kExitSomeFailed = 1;
constexpr int kExitCannotRun = 2;
constexpr int kExitCancelled = 130;

// The scores the commands report for `bundle`: logit variance only for a heteroscedastic model,
// so other models' output keeps its six scores (no row of ties).
inline const std::vector<Score>& scoresOf(const ModelBundle& bundle) {
    return scoresFor(bundle.meta().output == OutputKind::LogitsLogvar);
}

// Scans the inputs and reports every problem found on stderr. Nothing (after saying why on
// stderr) when no image, or with `needLabels` no labelled image, is left to run; `what` names
// the inputs in that message ("--out inputs", "validation inputs").
std::optional<ScanResult> scanForRun(const std::vector<std::string>& inputs,
                                     const std::vector<std::string>& classes, bool needLabels,
                                     const std::string& what = "inputs");

// Runs the engine over a scan: a progress bar on stderr unless `quiet`, stopped between batches
// by Ctrl-C (cancelFlag); each failed image is reported on stderr and counted in `failed`, the
// others go to `onResult`. Call inside an InterruptGuard.
RunReport runReporting(const ModelBundle& bundle, const ScanResult& scan, const RunOptions& options,
                       bool quiet, std::size_t& failed,
                       const std::function<void(const ImageResult&)>& onResult);

// The same for finished results, with no inference: every row of results CSVs written by
// `analyze` or `merge` (their classes must be `classes`; std::runtime_error says otherwise).
// Failed rows are reported on stderr and counted in `failed`, the others go to `onResult`.
// Returns the rows read.
std::size_t replayResults(const std::vector<std::string>& files,
                          const std::vector<std::string>& classes, std::size_t& failed,
                          const std::function<void(const ImageResult&)>& onResult);

// Where a set-level command's images come from: `inputs` scanned and run through the model, or,
// when `results` are given, the rows of those finished results CSVs (no inference; the report
// then says only how many samples the rows carry). Nothing (said on stderr) when the inputs or
// the results files leave no image, or with `needLabels` no labelled image, to analyse: the
// same "no labelled images in the <what>" error either way, checked before anything runs, and
// again after a run in which every labelled image failed.
std::optional<RunReport> runOrReplay(const ModelBundle& bundle,
                                     const std::vector<std::string>& inputs,
                                     const std::vector<std::string>& results, bool needLabels,
                                     const std::string& what, const RunOptions& options, bool quiet,
                                     std::size_t& failed,
                                     const std::function<void(const ImageResult&)>& onResult);

// The results CSVs one option of a command names (`name`: "--val-results").
struct ResultsOption {
    std::string name;
    const std::vector<std::string>* files;
};

// Checks a command's results options before anything runs, and throws std::invalid_argument
// naming the file for: a file given twice, in one option or in two (its rows would count twice,
// or be two sets at once), and a gamma-sweep per-image CSV (the analyze columns plus a gamma
// column: one row per image and gamma), which the results reader would otherwise take.
void checkResultsFiles(const std::vector<ResultsOption>& options);

// A command's output files, as (option, path); empty paths are options not given. Throws
// std::invalid_argument when two name one file: the later would replace the earlier.
void checkDistinctOutputs(const std::vector<std::pair<std::string, std::string>>& outputs);

// "-T/--samples": every name of an option, for messages.
std::string optionNames(const CLI::Option& option);

// Set by SIGINT/SIGTERM while an InterruptGuard lives; the engine checks it between batches.
std::atomic<bool>& cancelFlag();

class InterruptGuard {
  public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// Test-time augmentation options: a policy file, the copies, and each transform's range, which
// override the file's.
struct AugmentArgs {
    std::string policyFile;
    ue::AugmentPolicy policy;
    std::string border = "reflect";
    CLI::Option* copiesOption = nullptr;
    std::vector<CLI::Option*> overrides;

    void addTo(CLI::App* command);
    // The policy from the file and the flags; throws std::invalid_argument for a transform
    // without --tta, or a value out of range.
    ue::AugmentPolicy resolve() const;
};

// What every command that runs the engine takes: method, T, seed, threads, augmentation.
struct RunArgs {
    std::string method = "mc-dropout";
    int samples = 100;
    int logitSamples = 10;
    std::uint64_t seed = 0;
    int threads = 0;
    std::string device = "auto";
    std::string precision = "fp32";
    AugmentArgs augment;
    // Every option addTo added, to tell which were given.
    std::vector<CLI::Option*> added;
    CLI::Option* samplesOption = nullptr;
    CLI::Option* logitSamplesOption = nullptr;

    void addTo(CLI::App* command) {
        const std::size_t before = command->get_options().size();
        command->add_option("--method", method, "mc-dropout or deterministic")
            ->check(CLI::IsMember({"mc-dropout", "deterministic"}))
            ->capture_default_str();
        samplesOption =
            command
                ->add_option("-T,--samples", samples,
                             "Monte Carlo passes per image (mc-dropout; deterministic runs one)")
                ->check(CLI::Range(1, 1000000))
                ->capture_default_str();
        logitSamplesOption =
            command
                ->add_option("-K,--logit-samples", logitSamples,
                             "Heteroscedastic models (output logits_logvar) only: logit draws "
                             "averaged per pass")
                ->check(CLI::Range(1, 10000))
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
        augment.addTo(command);
        const std::vector<CLI::Option*> all = command->get_options();
        added.assign(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
    }

    // Says on stderr which of the options given cannot change this run, and why: -T with
    // --method deterministic, -K for a model that is not heteroscedastic, or, when
    // `resultsOnly` names the results options every set comes from ("--val-results"), any run
    // option at all (results files are read, not run again). Not an error: the run is the one
    // asked for without them.
    void warnIgnored(const ModelBundle& bundle, const std::string& resultsOnly = {}) const;

    ue::RunOptions options() const {
        ue::RunOptions options;
        options.method = ue::methodFromString(method);
        options.samples = samples;
        options.logitSamples = logitSamples;
        options.seed = seed;
        options.threads = threads;
        options.device = device;
        options.precision = ue::precisionFromString(precision);
        options.augment = augment.resolve();
        return options;
    }

    // "mc-dropout" or "deterministic + TTA x8: flip 0.5, shift 0.1", for what the commands print.
    std::string describe() const { return ue::describeMethod(options()); }
};

}  // namespace ue::cli
