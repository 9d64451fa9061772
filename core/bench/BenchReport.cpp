// How a bench's rounds are shown: medians with their ranges on the console, every row in CSV.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "bench/Bench.h"
#include "io/AtomicFile.h"
#include "io/CsvWriter.h"

namespace ue {
namespace {

double ratio(double a, double b) {
    return b > 0 ? a / b : 0.0;
}

// The approaches in the order they first ran, each with its figures over the rounds.
struct ApproachFigures {
    std::string side;
    std::string approach;
    std::vector<double> imagesPerSecond;
    std::vector<double> images;
};

std::vector<ApproachFigures> byApproach(const std::vector<BenchRow>& rows) {
    std::vector<ApproachFigures> approaches;
    for (const BenchRow& row : rows) {
        auto found = std::find_if(approaches.begin(), approaches.end(), [&](const auto& a) {
            return a.side == row.side && a.approach == row.approach;
        });
        if (found == approaches.end()) {
            approaches.push_back({row.side, row.approach, {}, {}});
            found = approaches.end() - 1;
        }
        found->imagesPerSecond.push_back(row.imagesPerSecond);
        found->images.push_back(double(row.images));
    }
    return approaches;
}

template <typename Figure>
BenchSpread ratioOverRounds(const std::vector<BenchRound>& rounds, Figure figure) {
    std::vector<double> values;
    for (const BenchRound& round : rounds) {
        values.push_back(figure(round));
    }
    return spreadOf(values);
}

// "1.62x (rounds 1.45-1.95x)"; one round has no range to show.
std::string ratioText(const BenchSpread& spread, const char* format, const char* unit,
                      bool severalRounds) {
    char text[128];
    std::snprintf(text, sizeof text, format, spread.median);
    std::string shown = std::string(text) + unit;
    if (severalRounds) {
        char range[128];
        std::snprintf(range, sizeof range, format, spread.low);
        shown += std::string(" (rounds ") + range + "-";
        std::snprintf(range, sizeof range, format, spread.high);
        shown += std::string(range) + unit + ")";
    }
    return shown;
}

}  // namespace

BenchSpread spreadOf(std::vector<double> values) {
    if (values.empty()) {
        return {};
    }
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    const double median =
        values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    return {median, values.front(), values.back()};
}

std::string formatBench(const BenchResult& r) {
    std::ostringstream out;
    char line[256];
    const std::size_t roundCount = r.rounds.size();
    const bool severalRounds = roundCount > 1;
    out << "Benchmark: " << r.images << " images, T = " << r.samples << ", " << r.threads
        << " thread" << (r.threads == 1 ? "" : "s") << ", " << r.device << ", "
        << toString(r.precision) << " on both sides, " << r.blas << " BLAS on one thread";
    if (severalRounds) {
        out << "\n           " << roundCount
            << " rounds, both sides in each: medians, and the range over the rounds";
    }
    out << "\n\n";
    std::snprintf(line, sizeof line, "  %-8s %-36s %8s %12s  %s\n", "side", "approach", "images",
                  "images/s", severalRounds ? "range" : "");
    out << line;
    for (const ApproachFigures& a : byApproach(r.rows)) {
        const BenchSpread speed = spreadOf(a.imagesPerSecond);
        std::snprintf(line, sizeof line, "  %-8s %-36s %8.0f %12.1f", a.side.c_str(),
                      a.approach.c_str(), spreadOf(a.images).median, speed.median);
        out << line;
        if (a.imagesPerSecond.size() > 1) {
            std::snprintf(line, sizeof line, "  %.1f-%.1f", speed.low, speed.high);
            out << line;
        }
        out << "\n";
    }
    const auto oursOverPytorch = ratioOverRounds(
        r.rounds, [](const BenchRound& x) { return ratio(x.bestOursMc, x.bestPytorchMc); });
    const auto oursOverLoop = ratioOverRounds(
        r.rounds, [](const BenchRound& x) { return ratio(x.bestOursMc, x.pytorchLoop); });
    const auto mcOverSingle = ratioOverRounds(r.rounds, [](const BenchRound& x) {
        return 100.0 * ratio(x.bestOursMc, x.oursDeterministic);
    });
    out << "\n  ours (best MC) / best plain-PyTorch MC: "
        << ratioText(oursOverPytorch, "%.2f", "x", severalRounds)
        << "\n  ours (best MC) / PyTorch loop:          "
        << ratioText(oursOverLoop, "%.1f", "x", severalRounds)
        << "\n  ours MC / ours single pass:             "
        << ratioText(mcOverSingle, "%.0f", " %", severalRounds) << "\n";
    std::snprintf(line, sizeof line,
                  "  peak RSS: ours %.0f MB, PyTorch %.0f MB\n"
                  "  deterministic probabilities, max |ours - PyTorch|: %.2e\n",
                  r.oursPeakRssMb, r.pytorchPeakRssMb, r.maxAbsProbabilityDifference);
    out << line;
    const RunReport& mc = r.oursMcReport;
    std::snprintf(line, sizeof line,
                  "  ours, mc default: %.2f s = inputs %.2f + packing %.2f + inference %.2f + "
                  "summaries %.2f + delivery %.2f (+ rest)%s\n",
                  mc.seconds, mc.secondsWaitingForInputs, mc.secondsPacking, mc.secondsInference,
                  mc.secondsSummarizing, mc.secondsDelivering, severalRounds ? ", last round" : "");
    out << line;
    if (r.maxDeviceSummaryDifference >= 0) {
        std::snprintf(line, sizeof line,
                      "  summaries computed on the GPU against the host's, max |difference|: "
                      "%.2e\n",
                      r.maxDeviceSummaryDifference);
        out << line;
    }
    if (r.perImageGpuCpuDifference >= 0) {
        std::snprintf(line, sizeof line,
                      "  mc per-image streams, GPU against CPU (first %zu images), max |mean "
                      "difference|: %.2e\n",
                      kBenchCrossDeviceImages, r.perImageGpuCpuDifference);
        out << line;
    }
    if (r.maxAbsDifferenceFromFp32 >= 0) {
        std::snprintf(line, sizeof line,
                      "  %s against fp32 (ours, deterministic), max |difference|: %.2e\n",
                      toString(r.precision).c_str(), r.maxAbsDifferenceFromFp32);
        out << line;
    }
    return out.str();
}

void writeBenchCsv(const BenchResult& r, const std::string& path) {
    AtomicFile file(path);
    CsvWriter csv(file.stream());
    csv.header({"side", "approach", "round", "images", "seconds", "images_per_second", "samples",
                "threads", "device", "precision"});
    for (const auto& row : r.rows) {
        csv.text(row.side)
            .text(row.approach)
            .integer(row.round)
            .integer(static_cast<long long>(row.images))
            .number(row.seconds)
            .number(row.imagesPerSecond)
            .integer(r.samples)
            .integer(r.threads)
            .text(r.device)
            .text(toString(r.precision))
            .endRow();
    }
    file.commit();
}

}  // namespace ue
