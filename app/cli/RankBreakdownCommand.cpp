#include "RankBreakdownCommand.h"

#include <cstdio>
#include <iostream>

#include "io/AtomicFile.h"
#include "io/ConsoleProgress.h"
#include "metrics/RankBreakdown.h"
#include "model/ModelBundle.h"

namespace ue::cli {

CLI::App* RankBreakdownCommand::add(CLI::App& app) {
    auto* command = app.add_subcommand(
        "rank-breakdown",
        "Over labelled images: the share whose true class ranks 1st, 2nd, 3rd or lower, and "
        "each group's mean and median of every uncertainty score");
    command->add_option("-m,--model", model, "Model bundle")->required();
    command->add_option("-i,--input", inputs, "Labelled images (class-named folders)")->required();
    runArgs.addTo(command);
    command
        ->add_option("-o,--out", out,
                     "CSV: true_class_rank,images,share, then mean_<score>,median_<score>")
        ->required();
    command->add_flag("-q,--quiet", quiet, "No progress bar");
    return command;
}

int RankBreakdownCommand::run() const {
    const auto bundle = ModelBundle::load(model);
    runArgs.warnIgnored(bundle);
    const auto scanned = scanForRun(inputs, bundle.meta().classes, true);
    if (!scanned) {
        return kExitCannotRun;
    }
    AtomicFile outFile(out);
    RankBreakdown breakdown;
    std::size_t failed = 0;
    InterruptGuard interrupts;
    const RunReport report =
        runReporting(bundle, *scanned, runArgs.options(), quiet, failed,
                     [&](const ImageResult& r) { breakdown.add(r.summary, r.label); });
    if (breakdown.labelled() == 0 && !report.cancelled) {
        // Every labelled image failed: as runOrReplay says for the other labelled commands.
        std::cerr << "error: no labelled images in the inputs could be analysed (each failed, as "
                     "said above)\n";
        return kExitCannotRun;
    }
    writeRankBreakdownCsv(outFile.stream(), breakdown, scoresOf(bundle));
    outFile.commit();

    std::printf("True-class rank of %zu labelled images (%s, T = %d%s)\n\n", breakdown.labelled(),
                runArgs.describe().c_str(), report.samples,
                report.cancelled ? ", cancelled: partial" : "");
    std::printf("  %-6s %7s %7s %10s %10s %10s\n", "rank", "images", "share", "entropy", "MI",
                "exp. ent.");
    const char* names[] = {"1", "2", "3+"};
    for (int group = 0; group < RankBreakdown::kGroups; ++group) {
        // A share needs labelled images, a group's means an image in it: "-" without.
        if (breakdown.labelled() == 0) {
            std::printf("  %-6s %7zu %7s", names[group], breakdown.count(group), "-");
        } else {
            std::printf("  %-6s %7zu %6.1f%%", names[group], breakdown.count(group),
                        100 * breakdown.share(group));
        }
        if (breakdown.count(group) == 0) {
            std::printf(" %10s %10s %10s\n", "-", "-", "-");
        } else {
            std::printf(" %10.4f %10.4f %10.4f\n", breakdown.mean(group, Score::PredictiveEntropy),
                        breakdown.mean(group, Score::MutualInformation),
                        breakdown.mean(group, Score::ExpectedEntropy));
        }
    }
    std::printf("\nBreakdown  %s\n", out.c_str());
    if (report.cancelled) {
        return kExitCancelled;
    }
    return failed > 0 || !scanned->problems.empty() ? kExitSomeFailed : kExitOk;
}

}  // namespace ue::cli
