#include "CompareCommand.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <set>

#include "analysis/MethodComparison.h"
#include "io/AtomicFile.h"
#include "io/ComparisonCsv.h"
#include "io/ConsoleProgress.h"

namespace ue::cli {

CLI::App* CompareCommand::add(CLI::App& app) {
    auto* command = app.add_subcommand(
        "compare",
        "Run several methods (model + run options) on the same images and compare them side by "
        "side: accuracy, NLL, Brier, ECE, AURC, OOD AUROC, mean uncertainties, speed");
    command
        ->add_option("-i,--input", inputs,
                     "In-distribution images (files or folders; class-named folders give labels)")
        ->required();
    command->add_option("--ood", oodInputs, "Out-of-distribution images, for the OOD AUROCs");
    command
        ->add_option("--methods", methodsFile,
                     "Methods JSON (format uncertainty-explorer-methods/1; paths relative to it)")
        ->check(CLI::ExistingFile);
    command->add_option(
        "--add", added,
        "A method: \"label=NAME,model=PATH[,method=mc-dropout|deterministic][,T=30][,K=10]"
        "[,seed=0][,tta=POLICY.json]\" (repeatable; after the --methods ones)");
    command->add_option("-o,--out", out, "Comparison table CSV, one row per method")->required();
    command->add_option("--per-image", perImage,
                        "Every image's scores under every method: method,set,path,label,...");
    seedOption =
        command->add_option("--seed", seed, "Seed for every method (overrides the file's)");
    command->add_option("--threads", threads, "Inference threads (0 = all cores)")
        ->check(CLI::Range(0, 1024))
        ->capture_default_str();
    command->add_option("--device", device, "auto, cpu, cuda or cuda:N")->capture_default_str();
    command->add_flag("-q,--quiet", quiet, "No progress bars");
    return command;
}

namespace {

std::vector<std::string> pathsOf(const ScanResult& scan) {
    std::vector<std::string> paths;
    for (const ImageEntry& image : scan.images) {
        paths.push_back(image.path);
    }
    return paths;
}

}  // namespace

int CompareCommand::run() const {
    std::vector<MethodSpec> specs;
    try {
        if (!methodsFile.empty()) {
            specs = loadMethods(methodsFile);
        }
        for (const std::string& text : added) {
            specs.push_back(parseMethodSpec(text));
        }
        validateMethods(specs);
    } catch (const std::invalid_argument& e) {
        std::cerr << "error: " << e.what()
                  << (specs.empty() && added.empty() ? " (give --methods FILE or --add SPEC)" : "")
                  << "\n";
        return kExitCannotRun;
    }
    for (MethodSpec& spec : specs) {
        if (seedOption->count() > 0) {
            spec.options.seed = seed;
        }
        spec.options.threads = threads;
        spec.options.device = device;
    }

    // From here on Ctrl-C stops the comparison cleanly instead of killing it mid-write.
    InterruptGuard interrupts;
    // Every model is loaded before anything runs: a broken one stops the comparison at once,
    // not after the methods before it have run for minutes.
    std::vector<ModelBundle> bundles;
    for (const MethodSpec& spec : specs) {
        try {
            bundles.push_back(ModelBundle::load(spec.model));
        } catch (const std::exception& e) {
            std::cerr << "error: method \"" << spec.label << "\" (" << spec.model
                      << "): cannot load the model: " << e.what() << "\n";
            return kExitCannotRun;
        }
        const auto& classes = bundles.back().meta().classes;
        if (classes != bundles.front().meta().classes) {
            std::cerr << "error: method \"" << spec.label << "\" (" << spec.model
                      << ") has other classes than method \"" << specs.front().label
                      << "\": a comparison needs one label set\n";
            return kExitCannotRun;
        }
        if (spec.options.method == Method::McDropout && !spec.options.augment.enabled() &&
            !bundles.back().stochasticity().passesDiffer) {
            std::cerr << "warning: method \"" << spec.label
                      << "\": the model has no active stochastic layer, so its Monte Carlo "
                         "passes are identical (mutual information 0)\n";
        }
        if (spec.samplesGiven && spec.options.method == Method::Deterministic) {
            std::cerr << "warning: method \"" << spec.label
                      << "\": T has no effect with method=deterministic, which runs a single "
                         "pass (T = 1)\n";
        }
        if (spec.logitSamplesGiven && bundles.back().meta().output != OutputKind::LogitsLogvar) {
            std::cerr << "warning: method \"" << spec.label << "\": K has no effect: " << spec.model
                      << " is not heteroscedastic (its output is "
                      << toString(bundles.back().meta().output) << ", not logits_logvar)\n";
        }
    }
    if (cancelFlag().load()) {
        std::cerr << "cancelled before any method ran: nothing written\n";
        return kExitCancelled;
    }
    const std::vector<std::string>& classes = bundles.front().meta().classes;
    const auto inScan = scanForRun(inputs, classes, false);
    if (!inScan) {
        return kExitCannotRun;
    }
    std::optional<ScanResult> outScan;
    if (!oodInputs.empty()) {
        outScan = scanForRun(oodInputs, {}, false, "--ood inputs");
        if (!outScan) {
            return kExitCannotRun;
        }
    }
    const std::vector<std::string> inPaths = pathsOf(*inScan);
    const std::vector<std::string> outPaths =
        outScan ? pathsOf(*outScan) : std::vector<std::string>{};

    // Opened before the runs, so an unwritable path fails first.
    AtomicFile tableFile(out);
    std::unique_ptr<AtomicFile> imagesFile;
    if (!perImage.empty()) {
        imagesFile = std::make_unique<AtomicFile>(perImage);
    }

    std::vector<MethodAccumulator> accumulators;
    std::set<std::string> reported;             // each failing image is reported once
    std::set<std::string> firstMethodFailures;  // ... and should fail under every method
    std::size_t failedImages = 0;
    bool cancelled = false;
    for (std::size_t m = 0; m < specs.size() && !cancelled; ++m) {
        const MethodSpec& spec = specs[m];
        accumulators.emplace_back(spec);
        MethodAccumulator& accumulator = accumulators.back();
        accumulator.setDescription(describeMethod(bundles[m], spec.options));
        std::set<std::string> failures;
        for (const bool isOut : {false, true}) {
            if (isOut && !outScan) {
                break;
            }
            const ScanResult& scan = isOut ? *outScan : *inScan;
            if (!quiet) {
                std::fprintf(stderr, "[%zu/%zu] %s: %s (%zu images, %s)\n", m + 1, specs.size(),
                             spec.label.c_str(), isOut ? "out-of-distribution" : "in-distribution",
                             scan.images.size(), accumulator.result().description.c_str());
            }
            ConsoleProgress progress(stderr);
            const RunReport report = McEngine(bundles[m])
                                         .run(
                                             scan.images, spec.options,
                                             [&](ImageResult&& r) {
                                                 if (!r.ok) {
                                                     failures.insert(r.path);
                                                     if (reported.insert(r.path).second) {
                                                         std::cerr << "error: " << r.error << "\n";
                                                         ++failedImages;
                                                     }
                                                     return;
                                                 }
                                                 isOut
                                                     ? accumulator.addOut(r.index, r.summary)
                                                     : accumulator.add(r.index, r.summary, r.label);
                                             },
                                             [&](const RunProgress& p) {
                                                 if (!quiet) {
                                                     progress.update(p);
                                                 }
                                             },
                                             &cancelFlag());
            progress.finish();
            accumulator.addRun(report.seconds, report.cancelled);
            if (report.cancelled) {
                cancelled = true;
                break;
            }
        }
        if (m == 0) {
            firstMethodFailures = failures;
        } else if (!cancelled && failures != firstMethodFailures) {
            std::cerr << "warning: method \"" << spec.label << "\" failed on other images than \""
                      << specs.front().label << "\": its numbers cover a different set\n";
        }
    }

    std::vector<ComparisonRow> rows;
    for (const MethodAccumulator& accumulator : accumulators) {
        rows.push_back(accumulator.result());
    }
    writeComparisonCsv(tableFile.stream(), rows);
    tableFile.commit();
    if (imagesFile) {
        ComparisonImagesCsv csv(imagesFile->stream(), classes);
        for (const MethodAccumulator& accumulator : accumulators) {
            csv.write(accumulator.spec().label, accumulator.images(), inPaths, outPaths);
        }
        imagesFile->commit();
    }

    const ComparisonRow first = rows.empty() ? ComparisonRow{} : rows.front();
    const std::string oodText =
        outScan ? ", " + std::to_string(first.outImages) + " OOD images" : std::string();
    std::printf("Comparison of %zu methods on %zu images (%zu labelled)%s%s\n\n", rows.size(),
                first.images, first.labelled, oodText.c_str(),
                cancelled ? ", cancelled: partial" : "");
    std::cout << formatComparisonTable(rows);
    for (std::size_t m = 0; m < rows.size(); ++m) {
        std::cout << (m == 0 ? "\n" : "") << "  " << rows[m].label << ": " << rows[m].description
                  << "; samples per image " << rows[m].samplesPerImage << "; " << rows[m].model
                  << "\n";
    }
    std::cout << "\nTable      " << out << "\n";
    if (!perImage.empty()) {
        std::cout << "Per image  " << perImage << "\n";
    }
    if (cancelled) {
        return kExitCancelled;
    }
    return failedImages > 0 || !inScan->problems.empty() || (outScan && !outScan->problems.empty())
               ? kExitSomeFailed
               : kExitOk;
}

}  // namespace ue::cli
