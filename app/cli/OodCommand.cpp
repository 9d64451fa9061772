#include "OodCommand.h"

#include <cstdio>
#include <iostream>
#include <memory>

#include "data/FolderScan.h"
#include "io/AtomicFile.h"
#include "io/ConsoleProgress.h"
#include "io/CsvWriter.h"
#include "metrics/OodMetrics.h"
#include "model/ModelBundle.h"

namespace ue::cli {

CLI::App* OodCommand::add(CLI::App& app) {
    auto* command = app.add_subcommand(
        "ood",
        "Out-of-distribution detection: run an in-distribution and an out-of-distribution set "
        "and report, for every score, AUROC, AUPR and the FPR at 95 % TPR");
    command->add_option("-m,--model", model, "Model bundle")->required();
    command->add_option("--in", inInputs, "In-distribution images (files or folders)");
    command->add_option("--ood", oodInputs,
                        "Out-of-distribution images (files or folders; named --out before -o/--out "
                        "became the report)");
    command
        ->add_option("--in-results", inResults,
                     "Instead of --in: results CSVs from `analyze` or `merge` (no inference)")
        ->excludes("--in");
    command
        ->add_option("--ood-results", oodResults,
                     "Instead of --ood: results CSVs from `analyze` or `merge` (no inference)")
        ->excludes("--ood");
    // The old name of --ood-results, kept working for scripts; hidden, as "out" now means the
    // report.
    command->add_option("--out-results", oldOodResults)->group("");
    runArgs.addTo(command);
    command
        ->add_option("-o,--out,--report", reports,
                     "Report CSV: score,auroc,aupr,fpr_at_95_tpr,in_images,out_images (best "
                     "AUROC first; OOD is the positive class). --report is its old name")
        ->type_name("FILE")
        ->required();
    command->add_option("--roc", rocOut, "ROC curves CSV: score,fpr,tpr");
    command->add_option("--scores-out", scoresOut,
                        "Every image's scores: set,path,<score>... (for histograms)");
    command->add_flag("-q,--quiet", quiet, "No progress bar");
    return command;
}

int OodCommand::run() const {
    if (reports.size() != 1) {
        // `--out DIR -o ood.csv`: a command line from before --out was the report.
        std::string given;
        for (const std::string& path : reports) {
            given += (given.empty() ? "" : ", ") + path;
        }
        std::cerr << "error: -o/--out/--report takes one path, the report CSV, but got "
                  << reports.size() << " (" << given
                  << "): give the out-of-distribution images with --ood (--out named them before "
                     "it became the report, as -o/--out is in the other commands)\n";
        return kExitCannotRun;
    }
    if (!oldOodResults.empty() && (!oodInputs.empty() || !oodResults.empty())) {
        std::cerr << "error: --out-results (the old name of --ood-results) cannot be given with "
                  << (oodInputs.empty() ? "--ood-results" : "--ood") << "\n";
        return kExitCannotRun;
    }
    const std::vector<std::string>& oodFiles = oldOodResults.empty() ? oodResults : oldOodResults;
    if (inInputs.empty() == inResults.empty() || oodInputs.empty() == oodFiles.empty()) {
        std::cerr << "error: ood needs each set once: --in or --in-results, and --ood or "
                     "--ood-results\n";
        return kExitCannotRun;
    }
    checkResultsFiles({{"--in-results", &inResults}, {"--ood-results", &oodFiles}});
    const std::string& report = reports.front();
    const auto bundle = ModelBundle::load(model);
    runArgs.warnIgnored(
        bundle, !inResults.empty() && !oodFiles.empty() ? "--in-results and --ood-results" : "");
    const std::vector<Score>& scores = scoresOf(bundle);
    AtomicFile reportFile(report);
    std::unique_ptr<AtomicFile> rocFile;
    std::unique_ptr<AtomicFile> scoresFile;
    std::unique_ptr<CsvWriter> scoresCsv;
    if (!rocOut.empty()) {
        rocFile = std::make_unique<AtomicFile>(rocOut);
    }
    if (!scoresOut.empty()) {
        scoresFile = std::make_unique<AtomicFile>(scoresOut);
        scoresCsv = std::make_unique<CsvWriter>(scoresFile->stream());
        std::vector<std::string> header = {"set", "path"};
        for (Score score : scores) {
            header.push_back(scoreName(score));
        }
        scoresCsv->header(header);
    }

    OodAccumulator accumulator;
    std::size_t failed = 0;
    bool cancelled = false;
    InterruptGuard interrupts;
    for (const bool isOut : {false, true}) {
        const auto add = [&](const ImageResult& r) {
            (isOut ? accumulator.addOut(r.summary) : accumulator.addIn(r.summary));
            if (scoresCsv) {
                scoresCsv->text(isOut ? "out" : "in").text(r.path);
                for (Score score : scores) {
                    scoresCsv->number(scoreValue(r.summary, score));
                }
                scoresCsv->endRow();
            }
        };
        const auto ran = runOrReplay(
            bundle, isOut ? oodInputs : inInputs, isOut ? oodFiles : inResults, false,
            isOut ? "--ood inputs" : "--in inputs", runArgs.options(), quiet, failed, add);
        if (!ran) {
            return kExitCannotRun;
        }
        if (ran->cancelled) {
            cancelled = true;
            break;
        }
    }

    const auto results = accumulator.results(scores);
    writeOodReportCsv(reportFile.stream(), results);
    reportFile.commit();
    if (rocFile) {
        CsvWriter csv(rocFile->stream());
        csv.header({"score", "fpr", "tpr"});
        for (const auto& r : results) {
            for (const auto& point : r.roc) {
                csv.text(scoreName(r.score)).number(point.fpr).number(point.tpr).endRow();
            }
        }
        rocFile->commit();
    }
    if (scoresFile) {
        scoresFile->commit();
    }

    std::printf(
        "Out-of-distribution detection: %zu in-distribution, %zu OOD images (%s)%s\n\n",
        accumulator.inCount(), accumulator.outCount(),
        inResults.empty() && oodFiles.empty()
            ? (runArgs.describe() + ", T = " + std::to_string(runArgs.options().passesPerCopy()))
                  .c_str()
            : "scores from results files where given",
        cancelled ? ", cancelled: partial" : "");
    std::printf("  %-22s %8s %8s %10s\n", "score", "AUROC", "AUPR", "FPR@95TPR");
    // The rates need both sets (a run cancelled, or failing, before one had an image has not).
    const bool bothSets = accumulator.inCount() > 0 && accumulator.outCount() > 0;
    for (const auto& r : results) {
        if (bothSets) {
            std::printf("  %-22s %8.4f %8.4f %10.4f\n", scoreName(r.score).c_str(), r.auroc, r.aupr,
                        r.fprAt95Tpr);
        } else {
            std::printf("  %-22s %8s %8s %10s\n", scoreName(r.score).c_str(), "-", "-", "-");
        }
    }
    std::cout << "\nReport     " << report << "\n";
    if (cancelled) {
        return kExitCancelled;
    }
    return failed > 0 ? kExitSomeFailed : kExitOk;
}

}  // namespace ue::cli
