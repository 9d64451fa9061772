#include "AnalyzeCommand.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "data/Shards.h"
#include "io/AtomicFile.h"
#include "io/ConsoleProgress.h"
#include "io/RankingCsv.h"
#include "io/ResultsCsv.h"
#include "io/ShardManifest.h"
#include "io/SummaryReport.h"
#include "io/ThresholdsFile.h"
#include "metrics/SetMetrics.h"
#include "metrics/ThresholdStudy.h"
#include "metrics/Thresholds.h"

namespace ue::cli {

CLI::App* AnalyzeCommand::add(CLI::App& app) {
    auto* command = app.add_subcommand(
        "analyze", "Run Monte Carlo passes over images and write per-image results");
    command->add_option("-m,--model", model, "Model bundle (.pt with meta.json)")->required();
    command
        ->add_option("-i,--input", inputs,
                     "Image files or folders (recursive; class-named folders give labels)")
        ->required();
    run.addTo(command);
    command->add_option("-o,--out", out, "Per-image results CSV");
    command->add_option("--raw-out", rawOut,
                        "CSV of every pass's probabilities (T rows per image)");
    command->add_option("--top", top, "Most uncertain images to list")
        ->check(CLI::Range(0, 10000))
        ->capture_default_str();
    std::vector<std::string> scoreNames;
    for (Score score : scoresFor(true)) {
        scoreNames.push_back(scoreOptionName(score));
    }
    command
        ->add_option("--rank-by", rankBy,
                     "The score that orders the most uncertain images: predictive-entropy, "
                     "mutual-information, expected-entropy, variation-ratio, margin or "
                     "max-probability (these two lowest first), or logit-variance "
                     "(heteroscedastic models)")
        // Named in the text, which wraps: the set as CLI11 prints it is one unbreakable word.
        ->check(CLI::IsMember(scoreNames).description(""))
        ->type_name("SCORE")
        ->capture_default_str();
    command->add_option("--ranking-out", rankingOut,
                        "The --top most uncertain images as CSV (rank, path, label, prediction, "
                        "score, value, predictive_entropy, mutual_information)");
    command->add_option("--memory-mb", memoryMb, "Memory budget for a batch (MiB)")
        ->check(CLI::Range(1, 1 << 20))
        ->capture_default_str();
    command->add_flag("--no-cache", noCache,
                      "Run the whole model every pass even when encode/head is exported or "
                      "found in the graph");
    command->add_flag("-q,--quiet", quiet, "No progress bar");
    command->add_option("--thresholds", thresholds,
                        "Per-class thresholds JSON (from `thresholds`): adds the threshold rule");
    command
        ->add_option("--threshold-report", thresholdReport,
                     "With --thresholds and labelled images: accuracy and coverage before "
                     "and after the rule, per class and overall, as CSV (no labelled input: "
                     "an error before running; none analysed: a warning, no file)")
        ->needs("--thresholds");

    command
        ->add_option(
            "--shard", shard,
            "Run only shard i of n (i/n, from 0): the images whose name (input folder's name "
            "and the path inside it) hashes to i. "
            "Needs --out; writes OUT.shard.json beside it for `merge`")
        ->needs("--out");
    command
        ->add_option("--random-streams", randomStreams,
                     "per-image: each image's draws from a stream seeded by (seed, its name), so "
                     "results do not depend on the rest of the run (shards merge exactly); "
                     "per-batch: one stream for the run (faster on a GPU); auto: per-image on "
                     "the CPU, per-batch on a GPU. --shard implies per-image")
        ->check(CLI::IsMember({"auto", "per-image", "per-batch"}))
        ->capture_default_str();
    return command;
}

int AnalyzeCommand::execute() const {
    const AnalyzeCommand& args = *this;
    if (!args.shard.empty() && args.randomStreams == "per-batch") {
        // A shard's draws for an image must not depend on the images beside it: the option
        // cannot be honoured, and silently running per-image would not be what was asked.
        std::cerr << "error: --shard needs per-image random streams (so that shards merge "
                     "exactly), not --random-streams per-batch\n";
        return kExitCannotRun;
    }
    checkDistinctOutputs({{"--out", args.out},
                          {"--raw-out", args.rawOut},
                          {"--threshold-report", args.thresholdReport},
                          {"--ranking-out", args.rankingOut}});
    const auto bundle = ModelBundle::load(args.model);
    const auto& classes = bundle.meta().classes;
    args.run.warnIgnored(bundle);
    const Score rankBy = *scoreFromOptionName(args.rankBy);
    const auto& offered = scoresOf(bundle);
    if (std::find(offered.begin(), offered.end(), rankBy) == offered.end()) {
        // Every image would score 0: the list would be the first images, not the uncertain ones.
        std::cerr << "error: --rank-by " << args.rankBy << " needs a heteroscedastic model (one "
                  << "that predicts a logit variance); " << bundle.path() << " does not\n";
        return kExitCannotRun;
    }

    RunOptions options = args.run.options();
    options.memoryBudgetBytes = args.memoryMb << 20;
    options.useEncodeCache = !args.noCache;
    options.keepRawSamples = !args.rawOut.empty();
    options.randomStreams = randomStreamsFromString(args.randomStreams);
    std::optional<Shard> shardToRun;
    if (!args.shard.empty()) {
        shardToRun = parseShard(args.shard);
        // Another run's draws for an image must not depend on which shard it landed in.
        options.randomStreams = RandomStreams::PerImage;
    }
    if (options.method == Method::McDropout && !bundle.stochasticity().passesDiffer) {
        std::cerr << "warning: " << bundle.path()
                  << " has no active stochastic layer: all Monte Carlo passes are identical, "
                     "so mutual information and variation ratio are 0. Use --method "
                     "deterministic for a single pass.\n";
    }

    ClassThresholds thresholdValues;
    if (!args.thresholds.empty()) {
        const ThresholdsFile file = loadThresholds(args.thresholds, classes);
        thresholdValues = file.values;
        // Another model's or method's means are on another scale: say so, but apply them (the
        // classes, which loadThresholds checks, are the same).
        const ThresholdsRun thisRun{bundle.meta().name, toString(options.method),
                                    options.passesPerCopy(), options.augment};
        for (const std::string& difference : thresholdsRunDifferences(file, thisRun)) {
            std::cerr << "warning: " << args.thresholds << " was " << difference << "\n";
        }
    }
    const std::vector<float>& thresholds = thresholdValues.thresholds;
    const auto scanned = scanForRun(args.inputs, classes, false);
    if (!scanned) {
        return kExitCannotRun;
    }
    const ScanResult& scan = *scanned;
    // The images this process runs, and where each sits in the whole listing.
    std::vector<ImageEntry> images;
    std::vector<std::size_t> positions;
    for (std::size_t i = 0; i < scan.images.size(); ++i) {
        if (!shardToRun ||
            shardOf(imageName(scan.images[i]), shardToRun->count) == shardToRun->index) {
            images.push_back(scan.images[i]);
            positions.push_back(i);
        }
    }
    std::vector<std::size_t> writtenPositions;
    const auto isLabelled = [](const ImageEntry& image) { return image.label != kNoLabel; };
    if (!args.thresholdReport.empty() &&
        std::none_of(scan.images.begin(), scan.images.end(), isLabelled)) {
        // The study compares the rule with the true classes: without one there is nothing to
        // write, and saying so after the run would waste it. Judged on the whole listing: one
        // shard without a labelled image must not fail a sharded job whose others have them.
        std::cerr << "error: --threshold-report needs labelled images, and none of the inputs "
                     "is labelled (labels come from folders named after the model's classes)\n";
        return kExitCannotRun;
    }
    const bool runsLabelledImages = std::any_of(images.begin(), images.end(), isLabelled);

    std::unique_ptr<AtomicFile> resultsFile;
    std::unique_ptr<AtomicFile> rawFile;
    std::optional<ResultsCsv> resultsCsv;
    std::optional<RawSamplesCsv> rawCsv;
    if (!args.out.empty()) {
        resultsFile = std::make_unique<AtomicFile>(args.out);
        resultsCsv.emplace(resultsFile->stream(), classes, thresholds);
    }
    if (!args.rawOut.empty()) {
        rawFile = std::make_unique<AtomicFile>(args.rawOut);
        rawCsv.emplace(rawFile->stream(), classes, sampleAxes(bundle, options));
    }
    // Opened before the run, as the others: a path that cannot be written fails before the
    // work, not after it.
    std::unique_ptr<AtomicFile> rankingFile;
    if (!args.rankingOut.empty()) {
        rankingFile = std::make_unique<AtomicFile>(args.rankingOut);
    }

    SetMetricsAccumulator metrics;
    metrics.setThresholds(thresholds);
    ThresholdEvaluator thresholdStudy(classes.size());
    UncertaintyRanking ranking(static_cast<std::size_t>(std::max(args.top, 0)), rankBy);
    std::vector<std::string> failures;
    ConsoleProgress progress(stderr);

    InterruptGuard interrupts;
    McEngine engine(bundle);
    const auto report = engine.run(
        images, options,
        [&](ImageResult&& result) {
            if (resultsCsv) {
                resultsCsv->write(result);
                writtenPositions.push_back(positions[result.index]);
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
            ranking.add(rankedImage(result, classes, rankBy));
        },
        [&](const RunProgress& p) {
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
    if (shardToRun) {
        ShardManifest manifest;
        manifest.shard = shardToRun->index;
        manifest.shards = shardToRun->count;
        manifest.inputs = scan.images.size();
        manifest.positions = writtenPositions;
        manifest.run = nlohmann::json{
            {"model", bundle.meta().name},
            {"classes", classes},
            {"method", describeMethod(bundle, options)},
            {"samples", options.passesPerCopy()},
            {"seed", options.seed},
            {"thresholds",
             thresholds}}.dump();
        saveShardManifest(manifest, shardManifestPath(args.out));
    }
    if (rawFile) {
        rawFile->commit();
    }
    if (rankingFile) {
        writeRankingCsv(rankingFile->stream(), ranking.mostUncertain(), rankBy);
        rankingFile->commit();
    }
    RunSummary summary{bundle.meta().name,
                       describeMethod(bundle, options),
                       report,
                       metrics.result(),
                       ranking.mostUncertain(),
                       rankBy,
                       failures,
                       scan.problems};
    std::cout << formatRunSummary(summary);
    if (!args.thresholdReport.empty() && thresholdStudy.labelled() == 0) {
        std::cerr << "warning: no threshold report written to " << args.thresholdReport << ": "
                  << (!runsLabelledImages ? "this shard holds no labelled image"
                      : report.cancelled  ? "the run was cancelled before a labelled image finished"
                                          : "none of the labelled images could be analysed")
                  << "\n";
    }
    if (!thresholds.empty() && thresholdStudy.labelled() > 0) {
        const ThresholdStudy study = thresholdStudy.evaluate(thresholds);
        std::cout << "\n" << formatThresholdStudy(study, classes, thresholdValues);
        if (!args.thresholdReport.empty()) {
            AtomicFile reportFile(args.thresholdReport);
            writeThresholdStudyCsv(reportFile.stream(), study, classes, thresholds,
                                   thresholdValues.support);
            reportFile.commit();
            std::cout << "\nThreshold study " << args.thresholdReport << "\n";
        }
    }
    if (!args.out.empty()) {
        std::cout << "\nResults    " << args.out << "\n";
    }
    if (shardToRun) {
        std::cout << "Shard      " << shardToRun->index << " of " << shardToRun->count << ": "
                  << images.size() << " of " << scan.images.size() << " images; merge with "
                  << "`uncertainty-cli merge`\n";
    }
    if (!args.rawOut.empty()) {
        std::cout << "Samples    " << args.rawOut << "\n";
    }
    if (!args.rankingOut.empty()) {
        std::cout << "Ranking    " << args.rankingOut << "\n";
    }
    if (report.cancelled) {
        return kExitCancelled;
    }
    return report.failed > 0 || !scan.problems.empty() ? kExitSomeFailed : kExitOk;
}

}  // namespace ue::cli
