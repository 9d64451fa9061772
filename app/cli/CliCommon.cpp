#include "CliCommon.h"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "Labels.h"
#include "io/ConsoleProgress.h"
#include "io/CsvReader.h"
#include "io/ResultsTable.h"

namespace ue::cli {
namespace {
extern "C" void onInterrupt(int) {
    cancelFlag().store(true);
}
}  // namespace

std::optional<ScanResult> scanForRun(const std::vector<std::string>& inputs,
                                     const std::vector<std::string>& classes, bool needLabels,
                                     const std::string& what) {
    ScanResult scan = scanInputs(inputs, classes);
    for (const auto& problem : scan.problems) {
        std::cerr << "error: " << problem << "\n";
    }
    if (scan.images.empty()) {
        std::cerr << "error: no images found in the " << what << "\n";
        return std::nullopt;
    }
    if (needLabels && scan.labelledCount == 0) {
        std::cerr << "error: no labelled images in the " << what
                  << " (labels come from folders named after the model's classes)\n";
        return std::nullopt;
    }
    return scan;
}

RunReport runReporting(const ModelBundle& bundle, const ScanResult& scan, const RunOptions& options,
                       bool quiet, std::size_t& failed,
                       const std::function<void(const ImageResult&)>& onResult) {
    ConsoleProgress progress(stderr);
    const RunReport report = McEngine(bundle).run(
        scan.images, options,
        [&](ImageResult&& r) {
            if (r.ok) {
                onResult(r);
            } else {
                std::cerr << "error: " << r.error << "\n";
                ++failed;
            }
        },
        [&](const RunProgress& p) {
            if (!quiet) {
                progress.update(p);
            }
        },
        &cancelFlag());
    progress.finish();
    return report;
}

namespace {

ResultsTable readResultsTable(const std::string& file, const std::vector<std::string>& classes) {
    ResultsTable table = readResultsCsv(file);
    if (table.classes != classes) {
        throw std::runtime_error(file + ": its classes are not the model's (" +
                                 std::to_string(table.classes.size()) + " mean_ columns, " +
                                 std::to_string(classes.size()) + " classes)");
    }
    return table;
}

void replayRows(const ResultsTable& table, std::size_t& failed,
                const std::function<void(const ImageResult&)>& onResult) {
    for (const ImageResult& r : table.rows) {
        if (r.ok) {
            onResult(r);
        } else {
            std::cerr << "error: " << r.error << "\n";
            ++failed;
        }
    }
}

}  // namespace

std::size_t replayResults(const std::vector<std::string>& files,
                          const std::vector<std::string>& classes, std::size_t& failed,
                          const std::function<void(const ImageResult&)>& onResult) {
    std::size_t rows = 0;
    for (const std::string& file : files) {
        const ResultsTable table = readResultsTable(file, classes);
        replayRows(table, failed, onResult);
        rows += table.rows.size();
    }
    return rows;
}

std::optional<RunReport> runOrReplay(const ModelBundle& bundle,
                                     const std::vector<std::string>& inputs,
                                     const std::vector<std::string>& results, bool needLabels,
                                     const std::string& what, const RunOptions& options, bool quiet,
                                     std::size_t& failed,
                                     const std::function<void(const ImageResult&)>& onResult) {
    const auto& classes = bundle.meta().classes;
    if (results.empty()) {
        const auto scan = scanForRun(inputs, classes, needLabels, what);
        if (!scan) {
            return std::nullopt;
        }
        std::size_t labelled = 0;
        RunReport report =
            runReporting(bundle, *scan, options, quiet, failed, [&](const ImageResult& r) {
                labelled += r.label != kNoLabel ? 1 : 0;
                onResult(r);
            });
        if (!scan->problems.empty()) {
            ++failed;  // an input that could not even be listed is a failed input too
        }
        if (needLabels && labelled == 0 && !report.cancelled) {
            // Every labelled image failed: numbers over none of them would be made up.
            std::cerr << "error: no labelled images in the " << what
                      << " could be analysed (each failed, as said above)\n";
            return std::nullopt;
        }
        return report;
    }
    // Read every file before any row counts, so that files which leave nothing to analyse stop
    // the command as the image path does, instead of giving numbers over no images.
    std::vector<ResultsTable> tables;
    std::size_t rows = 0;
    std::size_t labelledRows = 0;
    for (const std::string& file : results) {
        tables.push_back(readResultsTable(file, classes));
        for (const ImageResult& r : tables.back().rows) {
            ++rows;
            labelledRows += r.ok && r.label != kNoLabel ? 1 : 0;
        }
    }
    if (rows == 0) {
        std::cerr << "error: no images found in the " << what
                  << " (the results files have no rows)\n";
        return std::nullopt;
    }
    if (needLabels && labelledRows == 0) {
        std::cerr << "error: no labelled images in the " << what
                  << " (no analysed row of the results files has a label: labels come from "
                     "folders named after the model's classes)\n";
        return std::nullopt;
    }
    RunReport report;
    report.total = rows;
    for (const ResultsTable& table : tables) {
        replayRows(table, failed, [&](const ImageResult& r) {
            report.samples = r.summary.samples;
            onResult(r);
        });
    }
    report.failed = failed;
    return report;
}

namespace {

namespace fs = std::filesystem;

// Both name one file: the same file when both exist (links and other spellings included),
// else the same normalised path.
bool sameFile(const std::string& a, const std::string& b) {
    std::error_code error;
    if (fs::exists(a, error) && fs::exists(b, error)) {
        const bool same = fs::equivalent(a, b, error);
        if (!error) {
            return same;
        }
    }
    std::error_code errorA;
    std::error_code errorB;
    const fs::path absoluteA = fs::absolute(a, errorA).lexically_normal();
    const fs::path absoluteB = fs::absolute(b, errorB).lexically_normal();
    return errorA || errorB ? a == b : absoluteA == absoluteB;
}

// A header with a gamma column: what `gamma-sweep --per-image` writes (the results columns plus
// gamma). False for anything that is not a readable regular file, whose reading says why.
bool isGammaSweepCsv(const std::string& path) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) {
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    try {
        CsvReader reader(in);
        CsvRecord header;
        if (!reader.next(header)) {
            return false;
        }
        return std::any_of(header.cells.begin(), header.cells.end(),
                           [](const std::string& cell) { return csvTextValue(cell) == "gamma"; });
    } catch (const std::runtime_error&) {
        return false;
    }
}

}  // namespace

void checkDistinctOutputs(const std::vector<std::pair<std::string, std::string>>& outputs) {
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            const auto& [earlierOption, earlier] = outputs[j];
            const auto& [option, path] = outputs[i];
            if (!earlier.empty() && !path.empty() && sameFile(earlier, path)) {
                throw std::invalid_argument(earlierOption + " and " + option + " both name " +
                                            path + ": one would replace the other");
            }
        }
    }
}

void checkResultsFiles(const std::vector<ResultsOption>& options) {
    struct Given {
        const std::string* file;
        const std::string* option;
    };
    std::vector<Given> seen;
    for (const ResultsOption& option : options) {
        for (const std::string& file : *option.files) {
            if (isGammaSweepCsv(file)) {
                throw std::invalid_argument(
                    file + " (" + option.name +
                    ") is a gamma-sweep per-image CSV (it has a gamma column: one row per image "
                    "and gamma value), not a results CSV from `analyze` or `merge`");
            }
            for (const Given& earlier : seen) {
                if (!sameFile(*earlier.file, file)) {
                    continue;
                }
                const std::string files = *earlier.file == file
                                              ? file + " is"
                                              : *earlier.file + " and " + file + " are one file,";
                if (*earlier.option == option.name) {
                    throw std::invalid_argument(files + " given twice to " + option.name +
                                                ": its rows would count twice");
                }
                throw std::invalid_argument(files + " given to both " + *earlier.option + " and " +
                                            option.name +
                                            ": the two sets would be the same images");
            }
            seen.push_back({&file, &option.name});
        }
    }
}

std::string optionNames(const CLI::Option& option) {
    std::string names;
    for (const std::string& name : option.get_snames()) {
        names += (names.empty() ? "-" : "/-") + name;
    }
    for (const std::string& name : option.get_lnames()) {
        names += (names.empty() ? "--" : "/--") + name;
    }
    return names;
}

void RunArgs::warnIgnored(const ModelBundle& bundle, const std::string& resultsOnly) const {
    if (!resultsOnly.empty()) {
        std::vector<std::string> given;
        for (const CLI::Option* option : added) {
            if (option->count() > 0) {
                given.push_back(optionNames(*option));
            }
        }
        if (!given.empty()) {
            std::string list;
            for (const std::string& name : given) {
                list += (list.empty() ? "" : ", ") + name;
            }
            std::cerr << "warning: " << list << (given.size() == 1 ? " has" : " have")
                      << " no effect with " << resultsOnly
                      << ": results files are read, not run again\n";
        }
        return;
    }
    if (samplesOption && samplesOption->count() > 0 && method == "deterministic") {
        std::cerr << "warning: -T/--samples has no effect with --method deterministic, which runs "
                     "a single pass (T = 1)\n";
    }
    if (logitSamplesOption && logitSamplesOption->count() > 0 &&
        bundle.meta().output != OutputKind::LogitsLogvar) {
        std::cerr << "warning: -K/--logit-samples has no effect: " << bundle.path()
                  << " is not heteroscedastic (its output is " << toString(bundle.meta().output)
                  << ", not logits_logvar)\n";
    }
}

std::atomic<bool>& cancelFlag() {
    static std::atomic<bool> flag{false};
    return flag;
}

InterruptGuard::InterruptGuard() {
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

InterruptGuard::~InterruptGuard() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

void AugmentArgs::addTo(CLI::App* command) {
    const std::string group = "Test-time augmentation";
    copiesOption = command
                       ->add_option("--tta", policy.copies,
                                    "Augmented copies per image (each runs T passes); 0 = off")
                       ->check(CLI::Range(0, ue::kMaxAugmentCopies))
                       ->group(group);
    command
        ->add_option("--tta-policy", policyFile,
                     "Augmentation policy JSON (as the GUI saves it); the flags below override it")
        ->check(CLI::ExistingFile)
        ->group(group);
    const auto range = [&](const char* name, double& value, const char* help) {
        overrides.push_back(command->add_option(name, value, help)->group(group));
    };
    range("--tta-flip", policy.flipProbability, "Probability of a horizontal mirror (0-1)");
    range("--tta-shift", policy.maxShift, "Largest shift, fraction of width/height (0-0.5)");
    range("--tta-rotate", policy.maxRotationDegrees, "Largest rotation in degrees (0-180)");
    range("--tta-scale", policy.maxScale, "Zoom in [1-s, 1+s] (0-0.9)");
    range("--tta-brightness", policy.brightness, "Added to [0,1] pixels, in [-b, b] (0-1)");
    range("--tta-contrast", policy.contrast, "Contrast factor in [1-c, 1+c] (0-1)");
    range("--tta-gamma", policy.gamma, "Gamma in [1/(1+g), 1+g], log-uniform (0-4)");
    range("--tta-noise", policy.noiseStd, "Gaussian noise std on [0,1] pixels (0-1)");
    overrides.push_back(command
                            ->add_option("--tta-border", border,
                                         "Pixels outside a moved image: reflect, replicate, zero")
                            ->check(CLI::IsMember({"reflect", "replicate", "zero"}))
                            ->group(group));
    overrides.push_back(
        command->add_option("--tta-seed", policy.seed, "Seed of the augmentation draws")
            ->group(group));
    overrides.push_back(command
                            ->add_flag("--tta-keep-original", policy.includeOriginal,
                                       "Copy 0 is the image untouched")
                            ->group(group));
}

ue::AugmentPolicy AugmentArgs::resolve() const {
    ue::AugmentPolicy resolved;
    if (!policyFile.empty()) {
        resolved = ue::loadAugmentPolicy(policyFile);
    }
    if (copiesOption && copiesOption->count() > 0) {
        if (policy.copies == 0) {
            return {};  // --tta 0 turns augmentation off, whatever else is set
        }
        resolved.copies = policy.copies;
    }
    // Only the flags given on the command line replace the file's values.
    const auto given = [this](const char* name) {
        for (const CLI::Option* option : overrides) {
            if (option->check_name(name) && option->count() > 0) {
                return true;
            }
        }
        return false;
    };
    const auto take = [&](const char* name, auto& target, const auto& value) {
        if (given(name)) {
            target = value;
        }
    };
    take("--tta-flip", resolved.flipProbability, policy.flipProbability);
    take("--tta-shift", resolved.maxShift, policy.maxShift);
    take("--tta-rotate", resolved.maxRotationDegrees, policy.maxRotationDegrees);
    take("--tta-scale", resolved.maxScale, policy.maxScale);
    take("--tta-brightness", resolved.brightness, policy.brightness);
    take("--tta-contrast", resolved.contrast, policy.contrast);
    take("--tta-gamma", resolved.gamma, policy.gamma);
    take("--tta-noise", resolved.noiseStd, policy.noiseStd);
    take("--tta-seed", resolved.seed, policy.seed);
    take("--tta-keep-original", resolved.includeOriginal, policy.includeOriginal);
    if (given("--tta-border")) {
        resolved.border = ue::augmentBorderFromString(border);
    }
    const bool anyTransform = std::any_of(overrides.begin(), overrides.end(),
                                          [](const CLI::Option* o) { return o->count() > 0; });
    if (!resolved.enabled() && (anyTransform || !policyFile.empty())) {
        throw std::invalid_argument(
            "test-time augmentation settings need a number of copies: add --tta N");
    }
    ue::validate(resolved);
    return resolved;
}

}  // namespace ue::cli
