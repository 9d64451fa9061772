#include "io/SummaryReport.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "model/ModelBundle.h"

namespace ue {
namespace {

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string percent(double fraction) {
    return fixed(100.0 * fraction, 2) + " %";
}

// A rate whose denominator is 0 does not exist: "n/a", not 0.00 %.
std::string percentOf(double fraction, bool exists) {
    return exists ? percent(fraction) : std::string("n/a");
}

// How the run's threads were used, when not simply all on each forward call.
std::string threadUse(const RunReport& r) {
    if (r.inputWorkers > 1) {
        return " (" + std::to_string(r.inputWorkers) + " images side by side, " +
               std::to_string(r.inferenceThreads) + " thread" +
               (r.inferenceThreads == 1 ? "" : "s") + " each)";
    }
    if (r.inferenceThreads > 0 && r.inferenceThreads < r.threads) {
        return " (forward calls on " + std::to_string(r.inferenceThreads) +
               ": all threads did not time 15 % faster on this model's per-image calls)";
    }
    return "";
}

}  // namespace

RankedImage rankedImage(const ImageResult& result, const std::vector<std::string>& classes,
                        Score score) {
    const auto name = [&classes](int index) {
        return index >= 0 && std::size_t(index) < classes.size() ? classes[std::size_t(index)]
                                                                 : std::string();
    };
    return {result.path,
            name(result.label),
            name(result.summary.argmaxPrediction),
            scoreValue(result.summary, score),
            result.summary.predictiveEntropy,
            result.summary.mutualInformation};
}

void UncertaintyRanking::add(RankedImage image) {
    const auto position = std::upper_bound(
        images_.begin(), images_.end(), image, [this](const RankedImage& a, const RankedImage& b) {
            return rankingKey(a.score, by_) > rankingKey(b.score, by_);
        });
    if (static_cast<std::size_t>(position - images_.begin()) >= keep_) {
        return;
    }
    images_.insert(position, std::move(image));
    if (images_.size() > keep_) {
        images_.pop_back();
    }
}

std::string formatRunSummary(const RunSummary& s) {
    const RunReport& r = s.report;
    const SetMetrics& m = s.metrics;
    std::ostringstream out;
    out << "Model      " << s.modelName << "\n";
    out << "Method     " << s.method << ", T = " << r.samples << " passes"
        << (r.members > 1 ? " x " + std::to_string(r.members) + " members" : "")
        << (r.copies > 1 ? " x " + std::to_string(r.copies) + " copies" : "")
        << (r.logitSamples > 1
                ? ", " + std::to_string(r.logitSamples) + " logit draws averaged per pass"
                : "")
        << (r.usedEncodeCache ? " (encoder once, head per pass)" : "") << ", " << r.threads
        << " thread" << (r.threads == 1 ? "" : "s") << threadUse(r) << ", " << r.rowsPerBatch
        << " rows/batch, "
        << (r.randomStreams == RandomStreams::PerImage ? "each image on its own stream"
                                                       : "one random stream per run")
        << "\n";
    const std::size_t problems = s.inputProblems.size();
    out << "Images     " << r.succeeded << " analysed, " << r.failed << " failed, " << r.total
        << " in total"
        << (problems > 0
                ? "; " + std::to_string(problems) + (problems == 1 ? " input" : " inputs") +
                      " not found or not readable (listed below)"
                : "")
        << (r.cancelled ? "  ** CANCELLED: results are partial **" : "") << "\n";
    out << "Time       " << fixed(r.seconds, 2) << " s ("
        << (r.seconds > 0 ? fixed((r.succeeded + r.failed) / r.seconds, 1) : std::string("n/a"))
        << " images/s)\n";
    if (m.labelled > 0) {
        out << "\nOn " << m.labelled << " labelled images:\n";
        out << "  accuracy (argmax of mean)     " << percent(m.accuracy) << "\n";
        // Accuracy on the covered images needs one: n/a when the rule classified none.
        out << "  median rule                   coverage " << percent(m.medianRuleCoverage)
            << ", accuracy on covered "
            << percentOf(m.medianRuleCoveredAccuracy, m.medianRuleCoverage > 0) << "\n";
        if (m.hasThresholdRule) {
            out << "  per-class threshold rule      coverage " << percent(m.thresholdRuleCoverage)
                << ", accuracy on covered "
                << percentOf(m.thresholdRuleCoveredAccuracy, m.thresholdRuleCoverage > 0) << "\n";
        }
        out << "  NLL                           " << fixed(m.nll, 4) << "\n";
        out << "  Brier                         " << fixed(m.brier, 4) << "\n";
        out << "  ECE (" << m.eceBins << " bins)                 " << fixed(m.ece, 4) << "\n";
    } else if (m.images > 0) {
        out << "\nNo image is labelled (no class-named folders), so no accuracy.\n";
    }
    if (m.images > 0) {
        out << "\nMean uncertainty over " << m.images << " images (nats):\n";
        out << "  total: predictive entropy " << fixed(m.meanPredictiveEntropy, 4)
            << " = aleatoric: expected entropy " << fixed(m.meanExpectedEntropy, 4)
            << " + epistemic: mutual information " << fixed(m.meanMutualInformation, 4) << "\n";
        if (m.logitVarianceImages > 0) {
            out << "  aleatoric: predicted logit variance " << fixed(m.meanLogitVariance, 4)
                << " (heteroscedastic head)\n";
        }
        out << "  variation ratio    " << fixed(m.meanVariationRatio, 4) << "   margin "
            << fixed(m.meanMargin, 4) << "\n";
    }
    if (!s.mostUncertain.empty()) {
        // Ranked by another score, its value leads each line; the two entropies stay beside it.
        const bool byEntropy = s.rankedBy == Score::PredictiveEntropy;
        if (byEntropy) {
            out << "\nMost uncertain (predictive entropy / mutual information):\n";
        } else {
            out << "\nMost uncertain by " << scoreName(s.rankedBy)
                << (higherIsMoreUncertain(s.rankedBy) ? "" : ", lowest first") << " ("
                << scoreName(s.rankedBy) << "; predictive entropy / mutual information):\n";
        }
        for (const auto& image : s.mostUncertain) {
            out << "  ";
            if (!byEntropy) {
                out << fixed(image.score, 3) << "; ";
            }
            out << fixed(image.predictiveEntropy, 3) << " / " << fixed(image.mutualInformation, 3)
                << "  " << image.path << "  predicted " << image.prediction;
            if (!image.label.empty()) {
                out << (image.label == image.prediction ? " (correct)"
                                                        : " (label " + image.label + ")");
            }
            out << "\n";
        }
    }
    if (!s.failures.empty()) {
        out << "\nFailed images:\n";
        for (const auto& failure : s.failures) {
            out << "  " << failure << "\n";
        }
    }
    if (problems > 0) {
        out << "\nInputs not analysed:\n";
        for (const auto& problem : s.inputProblems) {
            out << "  " << problem << "\n";
        }
    }
    return out.str();
}

std::string formatModelInfo(const ModelBundle& bundle) {
    const ModelMeta& meta = bundle.meta();
    const StochasticityReport& stochastic = bundle.stochasticity();
    std::ostringstream out;
    out << "File          " << bundle.path() << "\n";
    out << "Meta          " << bundle.metaSource() << " (" << meta.format << ")\n";
    out << "Name          " << meta.name << "\n";
    if (!meta.description.empty()) {
        out << "Description   " << meta.description << "\n";
    }
    out << "Classes       " << meta.classes.size() << ":";
    for (std::size_t i = 0; i < meta.classes.size(); ++i) {
        out << (i ? ", " : " ") << meta.classes[i];
    }
    out << "\n";
    out << "Input         " << meta.input.channels << " x " << meta.input.height << " x "
        << meta.input.width << " (channels x height x width), resize "
        << toString(meta.input.resize) << ", mean";
    for (float v : meta.input.mean) {
        out << ' ' << v;
    }
    out << ", std";
    for (float v : meta.input.std) {
        out << ' ' << v;
    }
    out << "\n";
    out << "Kind          " << describeModelKind(bundle) << "\n";
    if (bundle.isEnsemble()) {
        const auto& members = bundle.memberPaths();
        for (std::size_t i = 0; i < members.size(); ++i) {
            out << (i ? "              " : "Members       ") << members[i] << "\n";
        }
    }
    out << "Output        " << toString(meta.output)
        << (meta.output == OutputKind::LogitsLogvar
                ? " (logits and their log variance; K logit draws per pass, averaged)"
                : "")
        << "\n";
    out << "Encode/head   " << describeEncodeHead(bundle) << "\n";
    out << "On the CPU    " << describeCpuFrozen(bundle) << "\n";
    const auto& dropouts = bundle.dropoutModules();
    out << "Dropout       " << dropouts.size() << " module" << (dropouts.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < dropouts.size(); ++i) {
        out << (i ? ", " : ": ") << dropouts[i];
    }
    out << "\n";
    if (stochastic.passesDiffer) {
        out << "Stochastic    yes: two Monte Carlo passes on the same input differ (max |diff| "
            << stochastic.maxAbsDifference << ")"
            << (bundle.hasStochasticForward()
                    ? "; with no Dropout module, its forward itself is random (every pass, "
                      "even a deterministic run's, is a draw)"
                    : "")
            << "\n";
    } else if (bundle.isEnsemble()) {
        out << "Stochastic    members are deterministic: the spread comes from the "
            << bundle.memberPaths().size() << " members (use --method deterministic)\n";
    } else {
        out << "Stochastic    no: two Monte Carlo passes on the same input are identical, so "
               "the model has no active stochastic layer; MC dropout gives zero epistemic "
               "spread (use --method deterministic)\n";
    }
    return out.str();
}

}  // namespace ue
